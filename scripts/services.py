#!/usr/bin/env python3
"""Start and stop throwaway PostgreSQL, Redis and S3 (moto) servers for the tests.

Standard library only; does not import the project.

    python3 scripts/services.py start --dir DIR [--optional] [--python PATH]
    python3 scripts/services.py stop  --dir DIR

``start`` runs every server on 127.0.0.1 on a free port, keeps all data inside
DIR, waits until each one accepts connections, records pids/ports in
DIR/services.json and prints only ``export NAME=value`` lines on stdout, so a
shell can do::

    eval "$(python3 scripts/services.py start --dir .test-services)"

Progress and errors go to stderr.  Exit codes: 0 ok, 1 a server failed to
start, 2 bad usage / unsafe DIR, 3 a server binary is missing (unless
``--optional``, which skips that service and prints nothing for it).

With PostgreSQL comes a streaming replica of it (``pg_basebackup -R``, hot standby, its own port;
``--no-replica`` to leave it out): ``KVSP_TEST_PG_REPLICA_APP_URL``; ``replica stop|start --dir DIR``
stops and starts it again (the read-replica tests show the fallback to the primary).

``stop`` stops everything recorded (or found) in DIR and removes DIR.  It is
idempotent.  ``start`` on a DIR left over by a crashed run cleans it first.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PG_BINDIR_DEFAULT = "/usr/lib/postgresql/15/bin"
REDIS_SERVER_DEFAULT = "/usr/bin/redis-server"
HOST = "127.0.0.1"
WAIT_SECONDS = 60.0
MARKER = ".kvsp-test-services"  # proves that DIR is ours, so it is safe to delete
STATE = "services.json"
UNIX_SOCKET_MAX = 100  # sun_path is 108 bytes; keep a margin

OWNER, OWNER_PW = "kvsp_owner", "owner-pass"
APP, APP_PW = "kvsp_app", "app-pass"
BACKUP, BACKUP_PW = "kvsp_backup", "backup-pass"  # backups and restores: reads and loads past RLS
DATABASES = ("kvsp_test", "kvsp_restore")

EXIT_FAIL, EXIT_USAGE, EXIT_MISSING = 1, 2, 3


class ServiceError(Exception):
    """A server could not be started."""


class MissingBinary(Exception):
    """A server binary is not installed."""


class PortInUse(ServiceError):
    """The chosen port was taken between picking it and binding it (retry)."""


def log(msg: str) -> None:
    print(f"[services] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def tail(path: Path, lines: int = 25) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return f"(no log at {path})"
    return "\n".join(f"    | {line}" for line in text[-lines:])


def is_root() -> bool:
    return os.geteuid() == 0


# --------------------------------------------------------------------------- processes

def pid_alive(pid: int | None) -> bool:
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still "exists"; treat it as dead.
    try:
        with open(f"/proc/{pid}/stat") as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                return False
    except OSError:
        pass
    return True


def pid_cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def pid_matches(pid: int | None, needle: str) -> bool:
    """True if pid is alive and its command line mentions needle (guards against pid reuse)."""
    return bool(pid) and pid_alive(pid) and needle in pid_cmdline(pid)


def wait_dead(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.05)
    return not pid_alive(pid)


def terminate(pid: int | None, needle: str, sig: int = signal.SIGTERM, timeout: float = 10.0,
              group: bool = False) -> None:
    """Send sig to pid (or its process group), escalate to SIGKILL after timeout."""
    if not pid_matches(pid, needle):
        return
    assert pid is not None
    try:
        if group and os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        return
    if wait_dead(pid, timeout):
        return
    log(f"pid {pid} ignored signal {sig}; sending SIGKILL")
    try:
        if group and os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return
    wait_dead(pid, 5)


def run(cmd: list[str], *, log_path: Path | None = None, input_text: str | None = None,
        cwd: Path | None = None, env: dict | None = None, check: bool = True,
        timeout: float | None = 120) -> subprocess.CompletedProcess:
    """Run a command; its output never reaches our stdout (stdout is for exports only)."""
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL
    try:
        proc = subprocess.run(
            cmd,
            input=input_text.encode() if input_text is not None else None,
            stdin=None if input_text is not None else subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT,
            cwd=str(cwd) if cwd else None, env=env, timeout=timeout,
        )
    finally:
        if log_path:
            out.close()
    if check and proc.returncode != 0:
        detail = f"\n{tail(log_path)}" if log_path else ""
        raise ServiceError(f"command failed (exit {proc.returncode}): {shlex.join(cmd)}{detail}")
    return proc


# --------------------------------------------------------------------------- state

def load_state(d: Path) -> dict:
    try:
        return json.loads((d / STATE).read_text())
    except (OSError, ValueError):
        return {}


def save_state(d: Path, state: dict) -> None:
    tmp = d / (STATE + ".tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, d / STATE)


def check_dir_is_ours(d: Path) -> None:
    """Refuse to clean/delete a non-empty directory we did not create."""
    if not d.exists():
        return
    if not d.is_dir():
        raise SystemExit(f"services: {d} exists and is not a directory")
    resolved = d.resolve()
    if resolved == Path("/") or resolved == Path.home().resolve() or len(resolved.parts) < 3:
        raise SystemExit(f"services: refusing to use {resolved} as a scratch directory")
    if any(d.iterdir()) and not (d / MARKER).exists() and not (d / STATE).exists():
        log(f"{d} is not empty and was not created by this script; refusing to touch it")
        sys.exit(EXIT_USAGE)


# --------------------------------------------------------------------------- PostgreSQL

class Postgres:
    name = "pg"

    def __init__(self, d: Path, bindir: Path):
        self.d = d
        self.bindir = bindir
        self.as_postgres = is_root()

    # -- helpers
    def check_installed(self) -> None:
        missing = [b for b in ("initdb", "pg_ctl", "postgres", "psql") if not (self.bindir / b).is_file()]
        if missing:
            raise MissingBinary(
                f"PostgreSQL 15 not found ({', '.join(missing)} missing in {self.bindir}); "
                "install the Debian package postgresql-15 "
                "(apt-get install -y --no-install-recommends postgresql-15)")
        if self.as_postgres:
            try:
                import pwd
                pwd.getpwnam("postgres")
            except KeyError:
                raise MissingBinary(
                    "running as root but there is no 'postgres' system user to run the server as; "
                    "install the Debian package postgresql-15 (it creates the user)") from None
            if not shutil.which("runuser"):
                raise MissingBinary("running as root but 'runuser' is missing; install util-linux")

    def cmd(self, *args: str) -> list[str]:
        if self.as_postgres:
            return ["runuser", "-u", "postgres", "--", *args]
        return list(args)

    def _env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="UTC", PGTZ="UTC")
        return env

    def _chown_pg(self, path: Path) -> None:
        if self.as_postgres:
            shutil.chown(path, "postgres", "postgres")

    def _postgres_can_use(self, path: Path) -> bool:
        if not self.as_postgres:
            return os.access(path, os.W_OK | os.X_OK)
        return run(self.cmd("test", "-w", str(path), "-a", "-x", str(path)), check=False).returncode == 0

    def prepare_dirs(self, state: dict) -> None:
        """Make DIR/pg (and the socket dir) usable by the server user."""
        root = self.d / "pg"
        root.mkdir(mode=0o755)
        self._chown_pg(root)
        if not self._postgres_can_use(root):
            # e.g. DIR is below /root (mode 700): the postgres user cannot reach it.
            ext = Path(tempfile.mkdtemp(prefix="kvsp-pg-"))
            os.chmod(ext, 0o755)
            self._chown_pg(ext)
            root.rmdir()
            root.symlink_to(ext, target_is_directory=True)
            state["pg"]["external_dirs"].append(str(ext))
            save_state(self.d, state)
            log(f"the postgres user cannot access {self.d}; keeping the cluster in {ext} "
                f"(symlinked from {root}, removed by 'stop')")
            root = ext  # paths handed to the server must not go through DIR
        self.root = root
        self.data = root / "data"
        sock = root / "sock"
        if len(str(sock.resolve())) + len("/.s.PGSQL.65535") > UNIX_SOCKET_MAX:
            sock = Path(tempfile.mkdtemp(prefix="kvsp-sock-"))
            state["pg"]["external_dirs"].append(str(sock))
            save_state(self.d, state)
            log(f"{self.d} is too long a path for a unix socket; using {sock}")
        else:
            sock.mkdir(mode=0o700)
        self._chown_pg(sock)
        self.sock = sock
        self.log_path = root / "postgres.log"

    # -- lifecycle
    def start(self, state: dict) -> dict:
        st = state.setdefault("pg", {"external_dirs": []})
        st.setdefault("external_dirs", [])
        save_state(self.d, state)
        self.prepare_dirs(state)
        st.update(root=str(self.root), data=str(self.data), sock=str(self.sock),
                  bindir=str(self.bindir), as_postgres=self.as_postgres)
        save_state(self.d, state)

        t0 = time.monotonic()
        initdb_log = self.d / "pg-initdb.log"
        base = [str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                "-E", "UTF8", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync",
                "--no-instructions"]
        proc = run(self.cmd(*base, "--locale=C.UTF-8"), log_path=initdb_log, cwd=self.root,
                   env=self._env(), check=False)
        if proc.returncode != 0:
            log("initdb with locale C.UTF-8 failed; retrying with --no-locale")
            if self.data.exists():
                run(self.cmd("rm", "-rf", str(self.data)), check=False)
            run(self.cmd(*base, "--no-locale"), log_path=initdb_log, cwd=self.root, env=self._env())
        log(f"pg: initdb done in {time.monotonic() - t0:.1f}s")

        # Only the superuser, only over the private unix socket, without a password;
        # everything over TCP needs a password.
        hba = (
            "# written by scripts/services.py\n"
            "local   all   postgres                 trust\n"
            "local   replication   postgres         trust\n"
            "local   all   all                      scram-sha-256\n"
            "host    all   all        127.0.0.1/32  scram-sha-256\n"
        )
        self._write_as_pg(self.data / "pg_hba.conf", hba)

        for attempt in range(1, 4):
            port = free_port()
            conf = (
                "\n# ---- scripts/services.py (throwaway test cluster) ----\n"
                f"listen_addresses = '{HOST}'\n"
                f"port = {port}\n"
                f"unix_socket_directories = '{self.sock}'\n"
                "unix_socket_permissions = 0700\n"
                "password_encryption = 'scram-sha-256'\n"
                "fsync = off\n"
                "synchronous_commit = off\n"
                "full_page_writes = off\n"
                "max_connections = 200\n"
                "shared_buffers = 64MB\n"
                "max_wal_size = 1GB\n"
                "checkpoint_timeout = 30min\n"
                "timezone = 'UTC'\n"
                "log_timezone = 'UTC'\n"
                "logging_collector = off\n"
                "log_min_messages = warning\n"
            )
            # postgresql.auto.conf is read last, so it overrides postgresql.conf.
            self._write_as_pg(self.data / "postgresql.auto.conf",
                              "# Do not edit this file manually!\n" + conf)
            st["port"] = port
            save_state(self.d, state)
            try:
                self._pg_ctl_start()
                break
            except PortInUse:
                log(f"pg: port {port} was taken, retrying ({attempt}/3)")
                if attempt == 3:
                    raise
        st["pid"] = self._postmaster_pid()
        save_state(self.d, state)
        wait_tcp(HOST, st["port"], "PostgreSQL", self.log_path, deadline=time.monotonic() + WAIT_SECONDS)
        self._create_roles_and_databases(st["port"])
        log(f"pg: ready on port {st['port']} (pid {st['pid']}) in {time.monotonic() - t0:.1f}s")
        return st

    # -- a streaming replica (read replicas: DATABASE_REPLICA_URLS)
    def start_replica(self, state: dict) -> dict:
        """A hot standby of the cluster, copied with ``pg_basebackup -R`` (streaming replication
        over the private socket), on its own port: the same roles, databases and data."""
        t0 = time.monotonic()
        st = state["pg"]
        rst = state.setdefault("pg_replica", {})
        data = self.root / "replica"
        log_path = self.root / "replica.log"
        run(self.cmd(str(self.bindir / "pg_basebackup"), "-h", str(self.sock), "-p", str(st["port"]),
                     "-U", "postgres", "-D", str(data), "-R", "-X", "stream", "-c", "fast", "--no-sync"),
            log_path=self.d / "pg-basebackup.log", cwd=self.root, env=self._env())
        rst.update(data=str(data), log=str(log_path), bindir=str(self.bindir), as_postgres=self.as_postgres,
                   sock=str(self.sock))
        for attempt in range(1, 4):
            port = free_port()
            rst["port"] = port
            save_state(self.d, state)
            # appended after what pg_basebackup copied and wrote (primary_conninfo): read last, wins
            self._append_as_pg(data / "postgresql.auto.conf",
                               f"\n# ---- scripts/services.py: the replica ----\nport = {port}\n"
                               "hot_standby = on\nhot_standby_feedback = on\n")
            try:
                replica_ctl(rst, "start", self.d)
                break
            except PortInUse:
                log(f"pg replica: port {port} was taken, retrying ({attempt}/3)")
                if attempt == 3:
                    raise
        wait_tcp(HOST, rst["port"], "PostgreSQL replica", log_path, deadline=time.monotonic() + WAIT_SECONDS)
        rst["pid"] = _pid_of(data)
        save_state(self.d, state)
        log(f"pg replica: streaming on port {rst['port']} (pid {rst['pid']}) in {time.monotonic() - t0:.1f}s")
        return rst

    def _append_as_pg(self, path: Path, text: str) -> None:
        if self.as_postgres:
            run(self.cmd("sh", "-c", 'cat >> "$1"', "sh", str(path)), input_text=text)
        else:
            with open(path, "a") as f:
                f.write(text)

    def _write_as_pg(self, path: Path, text: str) -> None:
        if self.as_postgres:
            run(self.cmd("sh", "-c", 'cat > "$1"', "sh", str(path)), input_text=text)
        else:
            path.write_text(text)

    def _pg_ctl_start(self) -> None:
        cmd = self.cmd(str(self.bindir / "pg_ctl"), "start", "-D", str(self.data),
                       "-l", str(self.log_path), "-w", "-t", str(int(WAIT_SECONDS)), "-s")
        proc = run(cmd, log_path=self.d / "pg-ctl.log", cwd=self.root, env=self._env(), check=False,
                   timeout=WAIT_SECONDS + 30)
        if proc.returncode == 0:
            return
        text = ""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            pass
        if "could not bind" in text or "Address already in use" in text:
            # Leave a clean log for the next attempt.
            run(self.cmd("sh", "-c", ': > "$1"', "sh", str(self.log_path)), check=False)
            raise PortInUse()
        raise ServiceError(f"PostgreSQL did not start within {WAIT_SECONDS:.0f}s "
                           f"(pg_ctl exit {proc.returncode}); server log {self.log_path}:\n"
                           f"{tail(self.log_path)}\n{tail(self.d / 'pg-ctl.log')}")

    def _postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None

    def _create_roles_and_databases(self, port: int) -> None:
        psql = [str(self.bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", str(self.sock), "-p", str(port), "-U", "postgres", "-d", "postgres"]
        sql = [
            f"CREATE ROLE {OWNER} LOGIN PASSWORD '{OWNER_PW}' "
            "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;",
            f"CREATE ROLE {APP} LOGIN PASSWORD '{APP_PW}' "
            "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;",
            f"CREATE ROLE {BACKUP} LOGIN PASSWORD '{BACKUP_PW}' "
            "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS;",
        ]
        for db in DATABASES:
            sql += [
                f"CREATE DATABASE {db} OWNER {OWNER} TEMPLATE template0 ENCODING 'UTF8';",
                f"GRANT CONNECT ON DATABASE {db} TO {APP};",
                f"\\connect {db}",
                f"ALTER SCHEMA public OWNER TO {OWNER};",
                f"GRANT USAGE ON SCHEMA public TO {APP};",
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER} IN SCHEMA public "
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP};",
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER} IN SCHEMA public "
                f"GRANT USAGE, SELECT ON SEQUENCES TO {APP};",
                f"GRANT CONNECT ON DATABASE {db} TO {BACKUP};",
                f"GRANT USAGE ON SCHEMA public TO {BACKUP};",
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER} IN SCHEMA public "
                f"GRANT SELECT, INSERT ON TABLES TO {BACKUP};",
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER} IN SCHEMA public "
                f"GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {BACKUP};",
                "\\connect postgres",
            ]
        run(self.cmd(*psql), input_text="\n".join(sql) + "\n", log_path=self.d / "pg-setup.log",
            cwd=self.root, env=self._env())

    @staticmethod
    def stop(d: Path, st: dict) -> None:
        data = Path(st["data"]) if st.get("data") else d / "pg" / "data"
        bindir = Path(st.get("bindir") or PG_BINDIR_DEFAULT)
        pidfile = data / "postmaster.pid"
        pid = st.get("pid")
        try:
            pid = int(pidfile.read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            pass
        if pid_matches(pid, "postgres"):
            log(f"pg: stopping (pid {pid})")
            as_pg = st.get("as_postgres", is_root())
            pg_ctl = [str(bindir / "pg_ctl"), "stop", "-D", str(data), "-m", "fast", "-w", "-t", "30", "-s"]
            if as_pg and is_root():
                pg_ctl = ["runuser", "-u", "postgres", "--", *pg_ctl]
            ok = False
            if (bindir / "pg_ctl").is_file():
                try:
                    ok = subprocess.run(pg_ctl, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, cwd="/", timeout=45).returncode == 0
                except subprocess.TimeoutExpired:
                    ok = False
            if not ok or pid_alive(pid):
                # SIGINT is PostgreSQL's "fast shutdown"; escalates to SIGKILL.
                terminate(pid, "postgres", signal.SIGINT, timeout=15)
        for ext in st.get("external_dirs", []):
            shutil.rmtree(ext, ignore_errors=True)


def _pid_of(data: Path) -> int | None:
    try:
        return int((data / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def _as_pg(rst: dict, cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if rst.get("as_postgres") and is_root() else cmd


def replica_ctl(rst: dict, action: str, d: Path) -> None:
    """Start or stop (fast) the replica recorded in ``rst`` (``services.py replica start|stop``: the
    tests stop it to show that reads fall back to the primary)."""
    bindir, data = Path(rst["bindir"]), rst["data"]
    cmd = [str(bindir / "pg_ctl"), action, "-D", data, "-w", "-t", str(int(WAIT_SECONDS)), "-s"]
    cmd += ["-l", rst["log"]] if action == "start" else ["-m", "fast"]
    cmd = _as_pg(rst, cmd)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="UTC", PGTZ="UTC")
    proc = run(cmd, log_path=d / "pg-replica-ctl.log", cwd=Path(data).parent, env=env, check=False,
               timeout=WAIT_SECONDS + 30)
    if proc.returncode == 0:
        return
    text = Path(rst["log"]).read_text(errors="replace") if Path(rst["log"]).exists() else ""
    if action == "start" and ("could not bind" in text or "Address already in use" in text):
        raise PortInUse()
    if action == "stop" and not pid_alive(_pid_of(Path(data))):
        return
    raise ServiceError(f"pg_ctl {action} of the replica failed (exit {proc.returncode}):\n"
                       f"{tail(Path(rst['log']))}")


def stop_replica(d: Path, rst: dict) -> None:
    pid = _pid_of(Path(rst["data"])) if rst.get("data") else rst.get("pid")
    if pid_matches(pid, "postgres"):
        log(f"pg replica: stopping (pid {pid})")
        try:
            replica_ctl(rst, "stop", d)
        except (ServiceError, subprocess.TimeoutExpired):
            pass
        if pid_alive(pid):
            terminate(pid, "postgres", signal.SIGINT, timeout=15)


# --------------------------------------------------------------------------- Redis

class Redis:
    name = "redis"

    def __init__(self, d: Path, binary: Path):
        self.d = d
        self.binary = binary

    def check_installed(self) -> None:
        if not (self.binary.is_file() and os.access(self.binary, os.X_OK)):
            raise MissingBinary(f"{self.binary} not found; install the Debian package redis-server "
                                "(apt-get install -y --no-install-recommends redis-server)")

    def start(self, state: dict) -> dict:
        t0 = time.monotonic()
        root = self.d / "redis"
        root.mkdir(mode=0o700)
        st = state.setdefault("redis", {})
        pidfile, logfile = root / "redis.pid", root / "redis.log"
        st.update(pidfile=str(pidfile), log=str(logfile))
        for attempt in range(1, 4):
            port = free_port()
            st["port"] = port
            save_state(self.d, state)
            cmd = [str(self.binary), "--bind", HOST, "--port", str(port),
                   "--save", "", "--appendonly", "no", "--daemonize", "yes",
                   "--pidfile", str(pidfile), "--logfile", str(logfile), "--dir", str(root),
                   "--unixsocket", "", "--protected-mode", "yes", "--databases", "16"]
            run(cmd, log_path=self.d / "redis-launch.log", cwd=root)
            try:
                pid = wait_redis(port, pidfile, logfile, deadline=time.monotonic() + WAIT_SECONDS)
                break
            except PortInUse:
                log(f"redis: port {port} was taken, retrying ({attempt}/3)")
                logfile.unlink(missing_ok=True)
                if attempt == 3:
                    raise
        st["pid"] = pid
        save_state(self.d, state)
        log(f"redis: ready on port {port} (pid {pid}) in {time.monotonic() - t0:.1f}s")
        return st

    @staticmethod
    def stop(d: Path, st: dict) -> None:
        pid = st.get("pid")
        if not pid and st.get("pidfile"):
            try:
                pid = int(Path(st["pidfile"]).read_text().strip())
            except (OSError, ValueError):
                pid = None
        if not pid_matches(pid, "redis"):
            return
        log(f"redis: stopping (pid {pid})")
        if st.get("port"):
            try:
                with socket.create_connection((HOST, st["port"]), timeout=2) as s:
                    s.sendall(b"SHUTDOWN NOSAVE\r\n")
                    s.settimeout(2)
                    try:
                        s.recv(100)
                    except OSError:
                        pass
            except OSError:
                pass
        if not wait_dead(pid, 5):
            terminate(pid, "redis", signal.SIGTERM, timeout=5)


def redis_ping(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as s:
            s.settimeout(1)
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def wait_redis(port: int, pidfile: Path, logfile: Path, deadline: float) -> int:
    while time.monotonic() < deadline:
        if redis_ping(port):
            for _ in range(50):
                try:
                    return int(pidfile.read_text().strip())
                except (OSError, ValueError):
                    time.sleep(0.02)
            return 0
        try:
            text = logfile.read_text(errors="replace")
        except OSError:
            text = ""
        if "Address already in use" in text:
            raise PortInUse()
        if "# Failed" in text or "FATAL" in text:
            raise ServiceError(f"redis-server failed to start; log {logfile}:\n{tail(logfile)}")
        time.sleep(0.05)
    raise ServiceError(f"redis-server did not answer PING on {HOST}:{port} within "
                       f"{WAIT_SECONDS:.0f}s; log {logfile}:\n{tail(logfile)}")


# --------------------------------------------------------------------------- S3 (moto)

def python_has_moto_server(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "import moto.server, flask, werkzeug"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def find_moto(python_opt: str | None) -> list[str]:
    """The command (without -H/-p) that runs moto's server."""
    hint = ("moto's S3 server not found; install it into the test virtualenv "
            "(pip install 'moto[server]', part of the project's [test] extra) "
            "or pass --python /path/to/venv/bin/python")
    if python_opt:
        if not python_has_moto_server(python_opt):
            raise MissingBinary(f"{python_opt} cannot import moto.server; {hint}")
        return [python_opt, "-m", "moto.server"]
    candidates = [Path(sys.executable).parent / "moto_server"]
    if os.environ.get("VIRTUAL_ENV"):
        candidates.append(Path(os.environ["VIRTUAL_ENV"]) / "bin" / "moto_server")
    # The project's own virtualenv, relative to this script (not to DIR).
    candidates.append(Path(__file__).resolve().parent.parent / ".venv" / "bin" / "moto_server")
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return [str(c)]
    if python_has_moto_server(sys.executable):
        return [sys.executable, "-m", "moto.server"]
    which = shutil.which("moto_server")
    if which:
        return [which]
    raise MissingBinary(hint)


class S3:
    name = "s3"

    def __init__(self, d: Path, python_opt: str | None):
        self.d = d
        self.python_opt = python_opt
        self.base: list[str] = []
        self.proc: subprocess.Popen | None = None

    def check_installed(self) -> None:
        self.base = find_moto(self.python_opt)

    def launch(self, state: dict) -> None:
        """Start moto in the background (it takes ~1 s to import); see wait()."""
        root = self.d / "s3"
        root.mkdir(exist_ok=True, mode=0o700)
        st = state.setdefault("s3", {})
        self.log_path = root / "moto.log"
        self.port = free_port()
        cmd = [*self.base, "-H", HOST, "-p", str(self.port)]
        env = dict(os.environ, PYTHONUNBUFFERED="1", AWS_DEFAULT_REGION="us-east-1",
                   AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")
        with open(self.log_path, "ab") as out:
            self.proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                cwd=str(root), env=env, start_new_session=True, close_fds=True)
        self.t0 = time.monotonic()
        st.update(port=self.port, pid=self.proc.pid, cmd=cmd, log=str(self.log_path))
        save_state(self.d, state)

    def wait(self, state: dict) -> dict:
        assert self.proc is not None
        for attempt in range(1, 4):
            try:
                wait_http(self.port, self.proc, self.log_path, deadline=self.t0 + WAIT_SECONDS)
                break
            except PortInUse:
                log(f"s3: port {self.port} was taken, retrying ({attempt}/3)")
                if attempt == 3:
                    raise
                self.launch(state)
        log(f"s3: moto ready on port {self.port} (pid {self.proc.pid}) "
            f"in {time.monotonic() - self.t0:.1f}s")
        return state["s3"]

    @staticmethod
    def stop(d: Path, st: dict) -> None:
        pid = st.get("pid")
        if pid_matches(pid, "moto"):
            log(f"s3: stopping moto (pid {pid})")
            terminate(pid, "moto", signal.SIGTERM, timeout=5, group=True)


def wait_http(port: int, proc: subprocess.Popen, log_path: Path, deadline: float) -> None:
    url = f"http://{HOST}:{port}/"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            text = log_path.read_text(errors="replace") if log_path.exists() else ""
            if "Address already in use" in text:
                raise PortInUse()
            raise ServiceError(f"moto server exited with {proc.returncode}; log {log_path}:\n"
                               f"{tail(log_path)}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answered HTTP, that is enough
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise ServiceError(f"moto server did not answer HTTP on {url} within {WAIT_SECONDS:.0f}s; "
                       f"log {log_path}:\n{tail(log_path)}")


def wait_tcp(host: str, port: int, what: str, log_path: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise ServiceError(f"{what} did not accept connections on {host}:{port} within "
                       f"{WAIT_SECONDS:.0f}s; log {log_path}:\n{tail(log_path)}")


# --------------------------------------------------------------------------- commands

def stop_all(d: Path, remove: bool = True) -> None:
    if not d.exists():
        return
    check_dir_is_ours(d)
    state = load_state(d)
    # Even without services.json (crash before it was written) look for the usual places.
    pg = state.get("pg") or {}
    if not pg and (d / "pg" / "data" / "postmaster.pid").exists():
        pg = {"data": str(d / "pg" / "data")}
    redis = state.get("redis") or {}
    if not redis and (d / "redis" / "redis.pid").exists():
        redis = {"pidfile": str(d / "redis" / "redis.pid")}
    for name, stop, st in (("s3", S3.stop, state.get("s3") or {}),
                           ("redis", Redis.stop, redis),
                           ("pg replica", stop_replica, state.get("pg_replica") or {}),
                           ("pg", Postgres.stop, pg)):
        if st:
            try:
                stop(d, st)
            except Exception as exc:  # keep going: stop must be best effort
                log(f"{name}: error while stopping: {exc}")
    if remove:
        shutil.rmtree(d, ignore_errors=True)
        if d.exists():
            # Files owned by postgres are removable by root; anything left is odd.
            subprocess.run(["rm", "-rf", str(d)], check=False)


def cmd_start(args: argparse.Namespace) -> int:
    t_start = time.monotonic()
    d = Path(args.dir).absolute()
    check_dir_is_ours(d)
    if d.exists():
        log(f"cleaning {d} left over from an earlier run")
        stop_all(d)
    d.mkdir(parents=True, mode=0o755)
    os.chmod(d, 0o755)  # the postgres user has to traverse it when we run as root
    (d / MARKER).write_text("created by scripts/services.py; removed by 'services.py stop'\n")
    state: dict = {"dir": str(d), "started_at": time.time(), "creator_pid": os.getpid()}
    save_state(d, state)

    wanted = []
    if not args.no_pg:
        wanted.append(Postgres(d, Path(args.pg_bindir)))
    if not args.no_redis:
        wanted.append(Redis(d, Path(args.redis_server)))
    if not args.no_s3:
        wanted.append(S3(d, args.python))

    services = []
    for svc in wanted:
        try:
            svc.check_installed()
            services.append(svc)
        except MissingBinary as exc:
            if args.optional:
                log(f"{svc.name}: skipped ({exc})")
                continue
            log(f"ERROR: {exc}")
            stop_all(d)
            return EXIT_MISSING

    exports: list[tuple[str, str]] = []
    try:
        s3 = next((s for s in services if isinstance(s, S3)), None)
        if s3:
            s3.launch(state)  # runs while PostgreSQL initialises
        for svc in services:
            if isinstance(svc, Postgres):
                st = svc.start(state)
                p = st["port"]
                for db, prefix in (("kvsp_test", "KVSP_TEST_PG"), ("kvsp_restore", "KVSP_TEST_PG_RESTORE")):
                    exports.append((f"{prefix}_OWNER_URL",
                                    f"postgresql+psycopg://{OWNER}:{OWNER_PW}@{HOST}:{p}/{db}"))
                    exports.append((f"{prefix}_APP_URL",
                                    f"postgresql+psycopg://{APP}:{APP_PW}@{HOST}:{p}/{db}"))
                    exports.append((f"{prefix}_BACKUP_URL",
                                    f"postgresql+psycopg://{BACKUP}:{BACKUP_PW}@{HOST}:{p}/{db}"))
                if not args.no_replica:
                    rst = svc.start_replica(state)
                    r = rst["port"]
                    exports.append(("KVSP_TEST_PG_REPLICA_APP_URL",
                                    f"postgresql+psycopg://{APP}:{APP_PW}@{HOST}:{r}/kvsp_test"))
                    # the superuser over the private socket: the tests pause the replica's replay
                    exports.append(("KVSP_TEST_PG_REPLICA_SUPERUSER_DSN",
                                    f"host={rst['sock']} port={r} user=postgres dbname=kvsp_test"))
                    exports.append(("KVSP_TEST_SERVICES_DIR", str(d)))
            elif isinstance(svc, Redis):
                st = svc.start(state)
                exports.append(("KVSP_TEST_REDIS_URL", f"redis://{HOST}:{st['port']}/0"))
        if s3:
            st = s3.wait(state)
            exports.append(("KVSP_TEST_S3_ENDPOINT", f"http://{HOST}:{st['port']}"))
    except (ServiceError, subprocess.TimeoutExpired, OSError) as exc:
        log(f"ERROR: {exc}")
        log(f"stopping what was started; logs are kept in {d} (the next start or stop removes them)")
        stop_all(d, remove=False)
        state["failed"] = True
        save_state(d, state)
        return EXIT_FAIL

    state["ready_at"] = time.time()
    state["exports"] = dict(exports)
    save_state(d, state)
    for name, value in exports:
        print(f"export {name}={shlex.quote(value)}")
    sys.stdout.flush()
    log(f"all services ready in {time.monotonic() - t_start:.1f}s; state in {d / STATE}")
    return 0


def cmd_stop(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    d = Path(args.dir).absolute()
    if not d.exists():
        log(f"nothing to stop ({d} does not exist)")
        return 0
    stop_all(d)
    log(f"stopped and removed {d} in {time.monotonic() - t0:.1f}s")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p_start = sub.add_parser("start", help="start PostgreSQL, Redis and moto S3; print export lines")
    p_start.add_argument("--dir", required=True, help="scratch directory (created; removed by stop)")
    p_start.add_argument("--optional", action="store_true",
                         help="skip (print nothing for) a service whose binary is missing "
                              "instead of exiting 3")
    p_start.add_argument("--python", help="Python interpreter that has moto[server] "
                         "(default: moto_server next to this interpreter, $VIRTUAL_ENV, or ./.venv)")
    p_start.add_argument("--pg-bindir", default=PG_BINDIR_DEFAULT)
    p_start.add_argument("--redis-server", default=REDIS_SERVER_DEFAULT)
    p_start.add_argument("--no-pg", action="store_true", help="do not start PostgreSQL")
    p_start.add_argument("--no-redis", action="store_true", help="do not start Redis")
    p_start.add_argument("--no-s3", action="store_true", help="do not start the S3 emulator")
    p_start.add_argument("--no-replica", action="store_true",
                         help="do not start a streaming replica of PostgreSQL")
    p_stop = sub.add_parser("stop", help="stop everything started in DIR and remove DIR")
    p_stop.add_argument("--dir", required=True)
    p_replica = sub.add_parser("replica", help="stop or start the PostgreSQL replica started in DIR")
    p_replica.add_argument("action", choices=("start", "stop"))
    p_replica.add_argument("--dir", required=True)
    args = ap.parse_args(argv)
    if args.command == "start":
        return cmd_start(args)
    if args.command == "replica":
        return cmd_replica(args)
    return cmd_stop(args)


def cmd_replica(args: argparse.Namespace) -> int:
    d = Path(args.dir).absolute()
    rst = load_state(d).get("pg_replica")
    if not rst:
        log(f"no replica recorded in {d}")
        return EXIT_USAGE
    try:
        if args.action == "stop":
            # a checkpoint on the primary, then a restartpoint on the replica: started again, it
            # replays from here rather than from its copy (minutes of WAL after many tests)
            pst = load_state(d).get("pg") or {}
            for port in (pst.get("port"), rst["port"]):
                if port:
                    run(_as_pg(rst, [str(Path(rst["bindir"]) / "psql"), "-X", "-q", "-h", rst["sock"],
                                     "-p", str(port), "-U", "postgres", "-d", "postgres", "-c", "CHECKPOINT"]),
                        log_path=d / "pg-replica-ctl.log", check=False, timeout=120)
        replica_ctl(rst, args.action, d)
    except (ServiceError, subprocess.TimeoutExpired) as exc:
        log(f"ERROR: {exc}")
        return EXIT_FAIL
    if args.action == "start":
        wait_tcp(HOST, rst["port"], "PostgreSQL replica", Path(rst["log"]), deadline=time.monotonic() + WAIT_SECONDS)
    log(f"pg replica: {'started' if args.action == 'start' else 'stopped'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
