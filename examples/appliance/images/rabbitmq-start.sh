#!/bin/sh
# RabbitMQ of the Hearth appliance: the configuration the package would install, generated at container start
# from the environment (user $RABBITMQ_DEFAULT_USER / $RABBITMQ_DEFAULT_PASS, reachable from other containers,
# logs on the console), then the broker in the foreground as user rabbitmq.
set -eu
if [ -z "${RABBITMQ_DEFAULT_PASS:-}" ]; then
  echo "rabbitmq-start: set RABBITMQ_DEFAULT_PASS" >&2
  exit 2
fi
export HOME=/var/lib/rabbitmq
export RABBITMQ_NODENAME="${RABBITMQ_NODENAME:-rabbit@localhost}"
export RABBITMQ_MNESIA_BASE=/var/lib/rabbitmq/mnesia RABBITMQ_LOG_BASE=/var/log/rabbitmq
export RABBITMQ_CONFIG_FILE=/etc/rabbitmq/rabbitmq.conf RABBITMQ_ENABLED_PLUGINS_FILE=/etc/rabbitmq/enabled_plugins
mkdir -p /var/lib/rabbitmq /var/log/rabbitmq /etc/rabbitmq
cat >/etc/rabbitmq/rabbitmq.conf <<CONF
listeners.tcp.default = 5672
default_user = ${RABBITMQ_DEFAULT_USER:-hearth}
default_pass = ${RABBITMQ_DEFAULT_PASS}
loopback_users = none
log.console = true
log.console.level = warning
log.file = false
CONF
echo '[].' >/etc/rabbitmq/enabled_plugins
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq /etc/rabbitmq
chmod 600 /etc/rabbitmq/rabbitmq.conf
exec start-stop-daemon -S -c rabbitmq:rabbitmq -x /usr/lib/rabbitmq/bin/rabbitmq-server
