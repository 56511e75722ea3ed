# syntax=docker/dockerfile:1
# The oos operator image: one process that serves admission (every replica) and runs the
# controller (the elected leader). Built by `npm run e2e:kind` and by release pipelines.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY api ./api
COPY engine ./engine
COPY webhooks ./webhooks
COPY operator ./operator
COPY cli ./cli
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
USER 65532:65532
ENTRYPOINT ["node", "dist/operator/main.js"]
