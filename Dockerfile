# The oos operator image: one process that serves admission (every replica) and runs the
# controller (the elected leader). Runs as a non-root numeric user (65532, as the chart's
# securityContext says), needs no writable root filesystem (the chart mounts an emptyDir on /tmp
# and sets readOnlyRootFilesystem), listens on 8443 (HTTPS).
#
# Built two ways:
#   npm run image       BuildKit from Go modules, no registry, no Docker daemon (docs/image.md):
#                       NODE_IMAGE is a base image made locally (Debian minbase + Node.js 20).
#   docker build -t oos:dev .      (npm run e2e:kind) with the official Node 20 image.
# No `# syntax=` line: it would make BuildKit fetch a frontend image from a registry; the
# Dockerfile frontend built into BuildKit reads everything used here.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: all dependencies, compile TypeScript to dist/, then drop the dev dependencies ---
FROM ${NODE_IMAGE} AS build
# The registry the builder's npm uses (npm run image passes the host's); unset: npm's default.
ARG NPM_CONFIG_REGISTRY
WORKDIR /src
COPY package.json package-lock.json ./
# npm's cache lives in a BuildKit cache mount: a rebuild downloads only what changed. The
# optional secret npm-ca holds the CA certificates the host's npm trusts (a proxy that
# re-signs TLS); as a secret mount it never lands in a layer.
RUN --mount=type=cache,id=oos-npm,target=/root/.npm \
    --mount=type=secret,id=npm-ca,target=/run/secrets/npm-ca \
    if [ -s /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi \
 && npm ci --no-audit --no-fund --ignore-scripts
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
# No --enable-source-maps: it holds every loaded module's source map, the dependencies' embedded
# sources included (10-20 MiB in each of the two threads); a stack trace names dist/'s JavaScript,
# which tsc keeps line for line close to the sources. NODE_OPTIONS=--enable-source-maps maps them.
# --max-semi-space-size=4: admission's young generation stays at 8 MiB, where V8's default grew it
# to 32 under the watch events of a first round's writes, which was most of the peak RSS above
# the idle one. A V8 flag holds for every thread; the controller thread's is that size already
# (CONTROLLER_YOUNG_GENERATION_MIB). bench/README.md, "Annotations, and admission's young
# generation".
# --heap-growing-percent=10: after each full collection V8 lets a thread's old generation grow by
# 10% of what survived before the next one, where it chooses a larger factor itself. The
# controller thread promotes each replanned namespace and frees the last one in its old
# generation: collected sooner, the RSS after a minute of governance changes at full size fell
# from 322-333 to 292-298 MiB. bench/README.md, "The heap's growing factor".
# --v8-pool-size=1: one V8 helper thread instead of four. The helpers run both threads' parallel
# and concurrent garbage collection at the process's priority, not at the controller thread's
# nice value: at full size, while governance changed, the four took 21-31% of a core, 1.4-1.8x
# the controller thread's own CPU, beside admission and (on a small node) the apiserver. With
# one, the controller's collector does more of its work on its own, lower-priority thread:
# rounds took 31-39 ms instead of 44-64, and admission's longest stall in a busy minute 44-56 ms
# instead of 55-113. bench/README.md, "V8's helper threads", which also gives the apiserver's
# share of calls within 25 ms (better in one-minute runs, not in a four-minute pair).
ENTRYPOINT ["node", "--max-semi-space-size=4", "--heap-growing-percent=10", "--v8-pool-size=1", "dist/operator/main.js"]
