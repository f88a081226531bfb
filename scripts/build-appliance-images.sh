#!/usr/bin/env bash
# Builds the images of the Hearth appliance (examples/appliance/images.yaml: hearth server, PostgreSQL, RabbitMQ,
# HAProxy — no registry: busybox + Debian packages, node + hearth) and imports each into this host's dockerd with
# its sha256 verified (hearth image import --sha256). Images whose inputs did not change are reused.
#
#   scripts/build-appliance-images.sh [OUTPUT_DIR]      (default: appliance-images)
#
# Environment: HEARTH — the hearth command (default: node bin/hearth.js of this checkout; run `npm run build`
# first); HEARTH_IMAGE_REGISTRY — the verified-image registry file (default /var/lib/hearth/images.json);
# HEARTH_DEB_CACHE — where .debs are cached (default ~/.cache/hearth/debs). Needs apt-get (Debian package lists),
# dpkg-deb, tar and a reachable dockerd.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-appliance-images}
read -r -a hearth <<<"${HEARTH:-node $root/bin/hearth.js}"

started=$(date +%s)
"${hearth[@]}" image build --recipe "$root/examples/appliance/images.yaml" --output-dir "$out"
echo "built in $(($(date +%s) - started)) s; importing with verification"

node -e '
  for (const i of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")))
    console.log(`${i.file} ${i.sha256}`);
' "$out/built-images.json" | while read -r file sha256; do
  "${hearth[@]}" image import "$file" --sha256 "$sha256" -f value -c id -c tags
done
