# syntax=docker/dockerfile:1
# The HTTP mode as a container image (the Kubernetes manifests in deploy/ run it). Two stages: the build
# stage installs every dependency and bundles dist/; the runtime stage installs production dependencies
# only and runs as a non-root user. test/packaging/dockerfile.test.ts replays these steps without a
# container engine, so keep RUN commands relative to WORKDIR and COPY sources inside the build context.
# Pin the base image by digest in your own registry (node:20-bookworm-slim@sha256:...) for reproducible builds.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY knowledge ./knowledge
COPY sandbox-worlds ./sandbox-worlds
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# No dependency of ours needs an install script at run time. npm's cache lives in a BuildKit cache mount,
# never in a layer (so no `npm cache clean`).
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY knowledge ./knowledge
COPY sandbox-worlds ./sandbox-worlds
# Files stay root-owned and read-only to the server: it writes nothing but its temporary files (TMPDIR, an
# emptyDir in deploy/), so the container runs with a read-only root filesystem. Numeric, so Kubernetes'
# runAsNonRoot can verify it; uid 1000 is the node user of the official images.
USER 1000:1000
EXPOSE 8765
# Probes are left to Kubernetes (deploy/ probes /healthz); a HEALTHCHECK would need curl, which the slim image lacks.
ENTRYPOINT ["node", "dist/cli.js", "--transport", "http", "--host", "0.0.0.0"]
