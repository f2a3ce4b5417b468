#!/usr/bin/env bash
# Renders the shipped nginx/ templates into a directory nginx can load:
#   deploy/nginx/render.sh OUT_DIR            (settings from the environment, defaults below)
# Every ${NAME} (upper case, in braces) is replaced by that variable; nginx's own $variables are left alone.
# A line holding ${NGINX_UPSTREAM} is written once per entry of NGINX_UPSTREAMS (space-separated host:port).
# Refuses to render when a variable a template uses is unset or empty, so nginx never starts half-configured.
# The tests run this very script on the very templates (opsctl NginxConfigTest).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: ${0##*/} OUT_DIR" >&2; exit 2; }
out="$1"
src="${NGINX_TEMPLATE_DIR:-$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../nginx" && pwd)}"

export NGINX_USER="${NGINX_USER:-www-data}"
export NGINX_PID_FILE="${NGINX_PID_FILE:-/run/nginx.pid}"
export NGINX_LOG_DIR="${NGINX_LOG_DIR:-/var/log/nginx}"
export NGINX_MIME_TYPES="${NGINX_MIME_TYPES:-/etc/nginx/mime.types}"
export NGINX_HTTP_PORT="${NGINX_HTTP_PORT:-80}"
export NGINX_HTTPS_PORT="${NGINX_HTTPS_PORT:-443}"
export CERT_DIR="${CERT_DIR:-/etc/nginx/ssl}"
export ACME_WEBROOT="${ACME_WEBROOT:-/var/www/certbot}"
export NGINX_SITE_ROOT="${NGINX_SITE_ROOT:-/var/www/ai-photo}"
export NGINX_CONF_DIR="${NGINX_CONF_DIR:-$(mkdir -p "$out" && cd "$out" && pwd)}"
# the certificate `opsctl cert init NAME` makes: by default named after the site's first name
if [ -z "${NGINX_CERT_NAME:-}" ] && [ -n "${NGINX_SERVER_NAME:-}" ]; then
  export NGINX_CERT_NAME="${NGINX_SERVER_NAME%% *}"
fi

# into a staging directory first: a live config directory never gets a half-rendered set
stage="$(mktemp -d "${TMPDIR:-/tmp}/nginx-render.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/conf.d" "$stage/snippets"
rc=0
templates=()
while IFS= read -r f; do templates+=("$f"); done < <(cd "$src" && ls nginx.conf conf.d/*.conf snippets/*.conf)
[ "${#templates[@]}" -gt 2 ] || { echo "render.sh: no templates in $src" >&2; exit 1; }
for f in "${templates[@]}"; do
  perl -e '
    use strict; use warnings;
    my ($in, $outfile) = @ARGV; my @missing;
    open(my $fh, "<", $in) or die "$in: $!\n";
    my $text = "";
    while (my $line = <$fh>) {
      if ($line =~ /\$\{NGINX_UPSTREAM\}/) {
        my @ups = split " ", ($ENV{NGINX_UPSTREAMS} // "");
        push @missing, "NGINX_UPSTREAMS" unless @ups;
        for my $u (@ups) { (my $l = $line) =~ s/\$\{NGINX_UPSTREAM\}/$u/g; $text .= $l; }
        next;
      }
      $line =~ s/\$\{([A-Z][A-Z0-9_]*)\}/defined $ENV{$1} && $ENV{$1} ne "" ? $ENV{$1} : do { push @missing, $1; "" }/ge;
      $text .= $line;
    }
    if (@missing) { my %s; print STDERR "render.sh: $in: unset: ", join(", ", grep { !$s{$_}++ } @missing), "\n"; exit 1 }
    open(my $o, ">", $outfile) or die "$outfile: $!\n"; print $o $text; close($o) or die "$outfile: $!\n";
  ' "$src/$f" "$stage/$f" || rc=1
done
[ "$rc" = 0 ] || exit 1
mkdir -p "$out"
cp -R "$stage/." "$out/"
