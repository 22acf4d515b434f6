# One image for every Linli process (hub, gateway, simulators), built by the
# same `npm run build` that `npm start` runs. The command picks the process.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY contract/package.json contract/
COPY geo/package.json geo/
COPY drivers/package.json drivers/
COPY gateway/package.json gateway/
COPY flows/package.json flows/
COPY dashboard/package.json dashboard/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# ffmpeg: a containerised gateway pulls RTSP frames from cameras without an HTTP snapshot URI.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
USER node
EXPOSE 8080
CMD ["node", "dashboard/dist/cli.js", "serve", "--host", "0.0.0.0", "--port", "8080", "--data", "/data/hub"]
