# syntax=docker/dockerfile:1
# The oos operator image: one process that serves admission (every replica) and runs the
# controller (the elected leader). Built by `npm run e2e:kind` and by release pipelines:
#   docker build -t oos:dev .
# Runs as a non-root numeric user, needs no writable root filesystem, listens on 8443 (HTTPS).

ARG NODE_IMAGE=node:20-alpine

# --- build: all dependencies, compile TypeScript to dist/, then drop the dev dependencies ---
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY api ./api
COPY engine ./engine
COPY webhooks ./webhooks
COPY operator ./operator
COPY cli ./cli
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund --ignore-scripts \
 && node dist/operator/main.js --help >/dev/null

# --- runtime: Node 20, production dependencies and dist/ only; no npm, no compiler ---
FROM ${NODE_IMAGE}
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["node", "--enable-source-maps", "dist/operator/main.js"]
