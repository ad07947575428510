# Metaflow Bot in a container. The bot runs its TypeScript sources through tsx, so there is
# no build step: the image holds the production dependencies and the sources.
#
#   docker build -t metaflowbot .
#   docker run --rm -e SLACK_BOT_TOKEN -e SLACK_APP_TOKEN \
#     -v /srv/flows:/data:ro -e METAFLOW_DATASTORE_SYSROOT_LOCAL=/data metaflowbot
#
# docs/deploy.md has the details, HTTP mode included.
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY docs/schema ./docs/schema
COPY sample ./sample

USER node

# The health endpoint reports 200 while the bot is connected to Slack, else 503.
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# docker stop sends SIGTERM: the bot stops taking events and gives running lookups up to 8 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/metaflowbot.js"]
CMD ["serve", "--listen-host", "0.0.0.0", "--health-port", "8080"]
