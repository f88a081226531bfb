#!/bin/sh
# HAProxy of the Hearth appliance: its configuration comes from the template, in $HAPROXY_CONFIG; it is written to
# /etc/haproxy/haproxy.cfg, checked, and haproxy runs in the foreground.
set -eu
if [ -z "${HAPROXY_CONFIG:-}" ]; then
  echo "haproxy-start: set HAPROXY_CONFIG (the whole haproxy.cfg)" >&2
  exit 2
fi
mkdir -p /etc/haproxy /run/haproxy
printf '%s\n' "$HAPROXY_CONFIG" >/etc/haproxy/haproxy.cfg
haproxy -c -q -f /etc/haproxy/haproxy.cfg
exec haproxy -db -f /etc/haproxy/haproxy.cfg
