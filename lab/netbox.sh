#!/usr/bin/env bash
# The lab's real NetBox: Debian PostgreSQL + Redis, NetBox from the PyPI wheel
# in its own Python 3.12 venv, gunicorn + rq worker on 127.0.0.1.
#   lab/netbox.sh up|down|status|wipe|dump-schema
# Idempotent. The API token is written to $ODC_LAB_HOME/netbox-token (0600),
# never printed.
source "$(dirname "$0")/common.sh"

NB_HOME=$ODC_LAB_HOME/netbox
NB_VENV=$ODC_LAB_HOME/netbox-venv
NB_DB=${NB_DB:-netbox}
SCHEMA_DUMP=$REPO_ROOT/lab/netbox/schema-$NETBOX_VERSION.sql.gz
export NETBOX_ROOT=$NB_HOME

nb() { "$NB_VENV/bin/netbox" "$@"; }
# any HTTP answer (403 without a token under LOGIN_REQUIRED) means it is up
nb_answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$NETBOX_URL/api/status/" 2>/dev/null)" != "000" ]; }
psql_pg() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt "$@"; }

ensure_services() {
  apt_ensure postgresql redis-server
  if ! pg_lsclusters -h | awk '$4=="online"' | grep -q .; then
    local ver cl
    read -r ver cl _ < <(pg_lsclusters -h | head -n1)
    log "starting PostgreSQL $ver/$cl"
    pg_ctlcluster --skip-systemctl-redirect "$ver" "$cl" start
  fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --pidfile "$LAB_RUN/redis.pid" --logfile "$LAB_LOG/redis.log"
    for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
}

ensure_venv() {
  if [ ! -x "$NB_VENV/bin/netbox" ] || ! "$NB_VENV/bin/netbox" version 2>/dev/null | grep -qx "$NETBOX_VERSION"; then
    local py; py=$(find_python312)
    log "creating NetBox $NETBOX_VERSION venv (about 2 minutes)"
    "$py" -m venv "$NB_VENV"
    "$NB_VENV/bin/pip" install -q --disable-pip-version-check -r "$REPO_ROOT/lab/netbox/requirements.txt"
  fi
}

ensure_config() {
  mkdir -p "$NB_HOME/conf" "$NB_HOME/media" "$NB_HOME/scripts" "$NB_HOME/reports"
  local secrets=$NB_HOME/conf/secrets.py
  if [ ! -s "$secrets" ]; then
    umask 077
    {
      echo "SECRET_KEY = '$(nb secret-key)'"
      echo "PEPPER = '$(head -c 64 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | head -c 60)'"
      echo "DB_PASSWORD = '$(head -c 32 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | head -c 32)'"
    } > "$secrets"
    umask 022
  fi
  cp "$REPO_ROOT/lab/netbox/configuration.py" "$NB_HOME/conf/configuration.py"
  chmod 0600 "$NB_HOME/conf/configuration.py"
}

ensure_database() {
  local pw; pw=$(sed -n "s/^DB_PASSWORD = '\(.*\)'/\1/p" "$NB_HOME/conf/secrets.py")
  if [ -z "$(psql_pg -c "select 1 from pg_roles where rolname='netbox'")" ]; then
    psql_pg -c "create role netbox login password '$pw'"
  else
    psql_pg -c "alter role netbox password '$pw'"
  fi
  if [ -z "$(psql_pg -c "select 1 from pg_database where datname='$NB_DB'")" ]; then
    log "creating database $NB_DB"
    psql_pg -c "create database $NB_DB owner netbox"
    psql_pg -d "$NB_DB" -c "grant create on schema public to netbox"
    if [ -s "$SCHEMA_DUMP" ]; then
      log "restoring migrated NetBox $NETBOX_VERSION schema from $(basename "$SCHEMA_DUMP")"
      gunzip -c "$SCHEMA_DUMP" | PGPASSWORD=$pw psql -q -h 127.0.0.1 -U netbox -d "$NB_DB" -v ON_ERROR_STOP=1 >/dev/null
    fi
  fi
  local pending
  pending=$(nb showmigrations --plan 2>/dev/null | grep -c '^\[ \]' || true)
  if [ "$pending" != "0" ]; then
    log "applying $pending NetBox migrations (an empty database takes ~16 min on 2 cores)"
    nb migrate --no-input >"$LAB_LOG/netbox-migrate.log" 2>&1 || { tail -n 30 "$LAB_LOG/netbox-migrate.log" >&2; exit 1; }
    [ -s "$SCHEMA_DUMP" ] || dump_schema
  fi
  if [ ! -s "$NB_HOME/static/.collected" ]; then
    nb collectstatic --no-input >/dev/null 2>&1 && date > "$NB_HOME/static/.collected"
  fi
}

dump_schema() {
  local pw; pw=$(sed -n "s/^DB_PASSWORD = '\(.*\)'/\1/p" "$NB_HOME/conf/secrets.py")
  log "writing schema dump $SCHEMA_DUMP"
  PGPASSWORD=$pw pg_dump -h 127.0.0.1 -U netbox --no-owner --no-privileges -d "$NB_DB" | gzip -9 > "$SCHEMA_DUMP"
}

start_processes() {
  if ! pid_alive netbox-gunicorn; then
    log "starting gunicorn on 127.0.0.1:$NETBOX_PORT"
    (cd "$NB_HOME" && setsid "$NB_VENV/bin/gunicorn" netbox.wsgi \
        --bind "127.0.0.1:$NETBOX_PORT" --workers 2 --threads 3 --timeout 300 \
        --control-socket "$LAB_RUN/gunicorn.ctl" \
        --pid "$LAB_RUN/netbox-gunicorn.pid" \
        --error-logfile "$LAB_LOG/netbox-gunicorn.log" --daemon)
    for _ in $(seq 1 50); do pid_alive netbox-gunicorn && break; sleep 0.1; done
  fi
  if ! pid_alive netbox-rqworker; then
    log "starting rq worker"
    setsid nohup "$NB_VENV/bin/netbox" rqworker high default low \
        --worker-class rq.worker.SimpleWorker >"$LAB_LOG/netbox-rqworker.log" 2>&1 &
    echo $! > "$LAB_RUN/netbox-rqworker.pid"
  fi
  for i in $(seq 1 240); do
    nb_answers && return 0
    sleep 0.5
  done
  log "NetBox did not answer on $NETBOX_URL/api/status/; see $LAB_LOG/netbox-gunicorn.log"
  exit 1
}

ensure_admin_token() {
  if [ -s "$NETBOX_TOKEN_FILE" ] && \
     curl -fsS -o /dev/null -H "Authorization: Bearer $(cat "$NETBOX_TOKEN_FILE")" "$NETBOX_URL/api/users/tokens/" 2>/dev/null; then
    return 0
  fi
  log "creating admin user and v2 API token ($NETBOX_TOKEN_FILE, mode 0600)"
  umask 077
  nb nbshell -c "$(cat <<PY
import secrets as _s
from users.models import User, Token
u, created = User.objects.get_or_create(username='admin', defaults={'is_superuser': True})
if created:
    u.set_password(_s.token_urlsafe(24)); u.save()
t = Token(user=u, version=2, description='odc-lab', write_enabled=True)
t.save()
open('$NETBOX_TOKEN_FILE', 'w').write('nbt_%s.%s' % (t.key, t.token))
PY
)" >/dev/null 2>&1 || true
  umask 022
  chmod 0600 "$NETBOX_TOKEN_FILE"
  curl -fsS -o /dev/null -H "Authorization: Bearer $(cat "$NETBOX_TOKEN_FILE")" "$NETBOX_URL/api/users/tokens/" \
    || { log "token check failed"; exit 1; }
}

cmd_up() {
  ensure_services
  ensure_venv
  ensure_config
  ensure_database
  start_processes
  ensure_admin_token
  log "NetBox $(curl -fsS -H "Authorization: Bearer $(cat "$NETBOX_TOKEN_FILE")" "$NETBOX_URL/api/status/" | sed -n 's/.*"netbox-version": *"\([^"]*\)".*/\1/p') at $NETBOX_URL"
}

cmd_down() {
  stop_pid netbox-rqworker
  stop_pid netbox-gunicorn
  rm -f "$LAB_RUN/gunicorn.ctl"
}

cmd_status() {
  local s
  for s in netbox-gunicorn netbox-rqworker; do
    if pid_alive $s; then echo "$s: running (pid $(cat "$LAB_RUN/$s.pid"))"; else echo "$s: stopped"; fi
  done
  if nb_answers; then echo "netbox api: up at $NETBOX_URL"; else echo "netbox api: down"; fi
}

cmd_wipe() {
  cmd_down
  psql_pg -c "drop database if exists $NB_DB" || true
  rm -f "$NETBOX_TOKEN_FILE"
  log "NetBox database $NB_DB dropped"
}

case "${1:-up}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  wipe) cmd_wipe ;;
  dump-schema) dump_schema ;;
  *) echo "usage: $0 up|down|status|wipe|dump-schema" >&2; exit 2 ;;
esac
