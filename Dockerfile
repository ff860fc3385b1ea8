# One image, two processes:
#   API     docker run -p 3000:3000 --env-file .env cbapi                            (default CMD)
#   worker  docker run --env-file .env cbapi node dist/src/worker.js   (/health, /metrics on port 3001)
#   release docker run --env-file .env cbapi node node_modules/typeorm/cli.js -d dist/src/database/data-source.js migration:run
# Both read their settings only from the environment (see README "Configuration").

# ---- build: full install, compile, then drop the devDependencies ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
# `npm install`, not `npm ci`: the lock file lacks optional platform packages that `npm ci` insists
# on (STACK.md trap 1); `npm install` resolves them and leaves the lock file as it is.
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund
# The `node` devDependency (the Node binary npm scripts use in development) is pruned here;
# the runtime image has its own Node 24.

# ---- runtime: only what the processes load ----
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# V8's defaults on a large host (a 4 GB heap limit with 64 MB semi-spaces) let an idle API keep
# 128 MB of young generation and an old space 3–4× its live data: 420–440 MB RSS after
# `npm run bench`'s list runs against ~70 MB of live heap. With these: 224 MB, for ~5–8% more CPU per
# trivial request (bench/MEMORY.md). The old-space cap also keeps the heap under the Helm
# chart's memory limits, so V8 collects harder before the kernel would kill the container.
# bench/harness/environment.ts starts the benchmarked processes with this same line.
ENV NODE_OPTIONS="--max-semi-space-size=16 --max-old-space-size=512"
# Files stay owned by root, so the app (running as `node`) cannot modify its own code.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The spec is read at runtime from openapi/openapi.yaml next to package.json (found by walking up from dist/).
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/openapi ./openapi
# The worker (node dist/src/worker.js) serves /health and /metrics on WORKER_HTTP_PORT; the API ignores it.
ENV WORKER_HTTP_PORT=3001
USER node
EXPOSE 3000 3001
# Liveness of the API; the worker's container probes WORKER_HTTP_PORT/health instead (docker-compose.yml).
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
