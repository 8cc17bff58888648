"""Workers on three machines, and one machine's network link cut in the middle of a batch: its
batch is taken over by the others, every line decided exactly once, the tallies without drift.

The machines are network namespaces of this one (`ip netns`), each with an address of its own on
a bridge, joined to it by a veth pair, like hosts on a switch. The machine's PostgreSQL and the
tests' Redis listen on 127.0.0.1 only and are not reconfigured: a forwarder on the bridge's
address carries the hosts' connections to them."""

import contextlib
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from petitions.models import Line
from petitions.validation import validation_enqueue
from tests.faults import test_workers_and_broker as one_host
from tests.faults.conftest import celery, say, spawn, start_worker, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

roll = one_host.roll  # the same roll of 2,000 voters, and the same petition of 6,000 lines

HOSTS = 3
# Names carry this run's process id: parallel runs never clash, and a run killed before its
# clean-up leaves names that the next run recognises as stale (their process is gone).
# Interface names fit Linux's 15 characters: rfb<pid> the bridge, rfv<pid>h<n> a host's link.
STALE = re.compile(r"rf(?:-|b|v|p)(\d+)(?:-?h\d+)?")
# The side of the forwarder that faces the hosts gives up on a peer that went silent as a
# server set up for it would (PostgreSQL's tcp_keepalives_idle/interval/count and
# tcp_user_timeout): within about 3 s, whether the peer owes it data or it owes the peer.
SILENT_PEER = (
    (socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1),
    (socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1),
    (socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1),
    (socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 2),
    (socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 3000),
)
VISIBILITY_TIMEOUT = 10  # tests/faults/settings_hosts.py


class NetworkRefused(Exception):
    """An `ip` command failed."""


def ip(*args: str) -> str:
    result = subprocess.run(["ip", *args], capture_output=True, text=True, check=False)
    if result.returncode:
        raise NetworkRefused(f"ip {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def quietly(*args: str) -> None:
    with contextlib.suppress(NetworkRefused):
        ip(*args)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def remove_namespace(name: str) -> None:
    """Kill what runs in a namespace, then remove it (its end of each veth pair goes with it,
    and so the pair)."""
    with contextlib.suppress(NetworkRefused):
        for pid in ip("netns", "pids", name).split():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
    quietly("netns", "delete", name)


def remove_stale() -> None:
    """Namespaces and links left by a run that was killed before its clean-up (or that bear
    this run's process id, so cannot be this run's yet)."""

    def stale(name: str) -> bool:
        found = STALE.fullmatch(name)
        return found is not None and (int(found[1]) == os.getpid() or not _running(int(found[1])))

    for line in ip("netns", "list").splitlines():
        if line and stale(line.split()[0]):
            remove_namespace(line.split()[0])
    for line in ip("-o", "link", "show").splitlines():
        name = line.split(":")[1].strip().split("@")[0]
        if stale(name):
            quietly("link", "delete", name)


def free_subnet() -> str:
    """A /24 of 10.213.0.0/16 that no address of this machine is in; where each run starts
    looking depends on its process id, so parallel runs take different ones."""
    taken = set(re.findall(r"inet (10\.213\.\d+)\.", ip("-4", "-o", "address", "show")))
    for k in range(256):
        subnet = f"10.213.{(os.getpid() + k) % 256}"
        if subnet not in taken:
            return subnet
    raise NetworkRefused("every /24 of 10.213.0.0/16 is in use")


@dataclass
class Host:
    name: str  # the network namespace, and its workers' PostgreSQL application_name
    link: str  # its veth's end on the bridge: `ip link set LINK down` cuts the host off
    address: str

    def run(self) -> tuple[str, ...]:
        return ("ip", "netns", "exec", self.name)


class Network:
    """A bridge on this machine and hosts on it, each a network namespace joined by a veth pair."""

    def __init__(self, count: int) -> None:
        pid = os.getpid()
        self.bridge = f"rfb{pid}"
        subnet = free_subnet()
        self.address = f"{subnet}.1"
        self.hosts = [Host(f"rf-{pid}-h{n}", f"rfv{pid}h{n}", f"{subnet}.{10 + n}")
                      for n in range(1, count + 1)]  # fmt: skip

    def build(self) -> None:
        ip("link", "add", self.bridge, "type", "bridge")
        ip("address", "add", f"{self.address}/24", "dev", self.bridge)
        ip("link", "set", self.bridge, "up")
        for host in self.hosts:
            peer = host.link.replace("rfv", "rfp")
            ip("netns", "add", host.name)
            ip("link", "add", host.link, "type", "veth", "peer", "name", peer)
            ip("link", "set", peer, "netns", host.name)
            ip("-n", host.name, "link", "set", peer, "name", "eth0")
            ip("-n", host.name, "address", "add", f"{host.address}/24", "dev", "eth0")
            ip("-n", host.name, "link", "set", "eth0", "up")
            ip("-n", host.name, "link", "set", "lo", "up")
            ip("link", "set", host.link, "master", self.bridge, "up")

    def remove(self) -> None:
        for host in self.hosts:
            remove_namespace(host.name)
            quietly("link", "delete", host.link)  # if its namespace was never made
        quietly("link", "delete", self.bridge)


@pytest.fixture
def network():
    """Three hosts, removed at the end whatever happened; skipped where namespaces are refused."""
    if shutil.which("ip") is None:
        pytest.skip("the ip command (iproute2) is not installed")
    made = Network(HOSTS)
    try:
        remove_stale()
        made.build()
    except NetworkRefused as exc:
        made.remove()
        if re.search(r"not permitted|permission denied|not supported", str(exc), re.I):
            pytest.skip(f"network namespaces are not permitted here (needs root, or CAP_NET_ADMIN "
                        f"and CAP_SYS_ADMIN): {exc}")  # fmt: skip
        raise
    try:
        yield made
    finally:
        made.remove()


class Forwarder:
    """Connections to an address of the bridge, carried to a service of this machine."""

    def __init__(self, address: str, upstream: tuple[str, int]) -> None:
        self.listener = socket.create_server((address, 0))
        self.port = self.listener.getsockname()[1]
        self.upstream = upstream
        self.open: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            for option in SILENT_PEER:
                client.setsockopt(*option)
            threading.Thread(target=self._carry, args=(client,), daemon=True).start()

    def _carry(self, client: socket.socket) -> None:
        """Bytes both ways until either side ends; then both end. A host gone silent ends here
        within seconds (SILENT_PEER), and the service sees its connection closed: PostgreSQL
        rolls back the host's transaction and releases its locks."""
        with client, socket.create_connection(self.upstream) as service:
            self.open |= {client, service}
            other = {client: service, service: client}
            try:
                while True:
                    ready, _, _ = select.select([client, service], [], [])
                    for sock in ready:
                        data = sock.recv(1 << 16)
                        if not data:
                            return
                        other[sock].sendall(data)
            except OSError:
                return
            finally:
                self.open -= {client, service}

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept (close alone does not)
        self.listener.close()
        for sock in list(self.open):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def forward(network):
    made: list[Forwarder] = []

    def to(host: str, port: int) -> Forwarder:
        made.append(Forwarder(network.address, (host, port)))
        return made[-1]

    yield to
    for forwarder in made:
        forwarder.close()


class Batches(threading.Thread):
    """Each host's batches as PostgreSQL sees them, polled every 10 ms: a batch's transaction
    gets its id (backend_xid) when it claims its lines, and the lines it decides carry that id
    (xmin) once it commits. A host's workers give PostgreSQL its name (PGAPPNAME)."""

    def __init__(self, hosts: list[Host]) -> None:
        super().__init__(daemon=True)
        self.names = [host.name for host in hosts]
        self.owner: dict[str, str] = {}  # transaction id -> host
        self.current: dict[str, tuple[str, float]] = {}  # host -> transaction, first seen
        self.claimed: dict[str, int] = {}  # transaction id -> lines it claimed
        self.done = threading.Event()
        db = connection.settings_dict
        self.dsn = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"],
                    "password": db["PASSWORD"], "dbname": db["NAME"]}  # fmt: skip

    def run(self) -> None:
        conn = psycopg2.connect(**self.dsn)
        conn.autocommit = True
        seen: dict[str, float] = {}
        # Not `with conn`: that would hold one transaction, and PostgreSQL shows a transaction
        # the same pg_stat_activity until it ends.
        try:
            cursor = conn.cursor()
            while not self.done.wait(0.01):
                cursor.execute(
                    "SELECT application_name, backend_xid::text FROM pg_stat_activity "
                    "WHERE application_name = ANY(%s) AND backend_xid IS NOT NULL",
                    [self.names],
                )
                now = time.monotonic()
                current = {}
                for host, xid in cursor.fetchall():
                    self.owner.setdefault(xid, host)
                    current[host] = (xid, seen.setdefault(xid, now))
                self.current = current
                # The lines a batch claimed, locked with its id in xmax: read while it is new
                # (its claim may still be locking them at its first sightings).
                new = [xid for xid, since in current.values() if now - since < 0.5]
                if new:
                    cursor.execute(
                        "SELECT xmax::text, count(*) FROM petitions_line "
                        "WHERE xmax::text = ANY(%s) GROUP BY 1",
                        [new],
                    )
                    for xid, lines in cursor.fetchall():
                        self.claimed[xid] = max(self.claimed.get(xid, 0), lines)
        finally:
            conn.close()

    def of(self, host: Host) -> list[str]:
        return [xid for xid, name in list(self.owner.items()) if name == host.name]

    def committed(self) -> Counter[str]:
        """The lines each host claimed in batches that committed."""
        status = xact_status(sorted(self.claimed))
        lines: Counter[str] = Counter()
        for xid, claimed in self.claimed.items():
            if status[xid] == "committed":
                lines[self.owner[xid]] += claimed
        return lines


def xact_status(xids: list[str]) -> dict[str, str]:
    """Committed, aborted or in progress, as PostgreSQL's commit log has each transaction (a
    32-bit id made whole with the current epoch)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT x, pg_xact_status((((pg_snapshot_xmax(pg_current_snapshot())::text::bigint"
            " >> 32) << 32) + x::bigint)::text::xid8) FROM unnest(%s::text[]) x",
            [xids],
        )
        return dict(cursor.fetchall())


def url_via(url: str, forwarder: Forwarder) -> str:
    parts = urlsplit(url)
    auth = parts.netloc.rpartition("@")[0]
    netloc = f"{auth}@" if auth else ""
    return parts._replace(netloc=f"{netloc}{forwarder.listener.getsockname()[0]}:"
                                 f"{forwarder.port}").geturl()  # fmt: skip


def received(log: str) -> list[str]:
    return re.findall(r"validate_pending\[([0-9a-f-]+)\] received", log)


def test_a_host_cut_off_in_the_middle_of_a_batch(network, forward, roll, tmp_path, processes):
    started = time.monotonic()
    db = connection.settings_dict
    redis = urlsplit(settings.REDIS_URL)
    postgres = forward(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    broker = forward(redis.hostname or "127.0.0.1", redis.port or 6379)
    say(f"{HOSTS} hosts on bridge {network.bridge} ({network.address}): "
        + ", ".join(f"{h.name} ({h.address}, link {h.link})" for h in network.hosts)
        + f"; PostgreSQL and Redis forwarded from {network.address}")  # fmt: skip
    # The sweep on a short fuse, as in the other fault tests.
    fuse = {"VALIDATION_SWEEP_SECONDS": "2", "VALIDATION_STALE_SECONDS": "2",
            "DJANGO_SETTINGS_MODULE": "tests.faults.settings_hosts"}  # fmt: skip
    database_url = f"postgres://{db['USER']}@{network.address}:{postgres.port}/{db['NAME']}"
    workers = {host.name: tmp_path / f"{host.name}.log" for host in network.hosts}

    def start(host: Host) -> subprocess.Popen:
        return start_worker(
            workers[host.name], host.name, concurrency=1, inside=host.run(),
            DATABASE_URL=database_url, REDIS_URL=url_via(settings.REDIS_URL, broker),
            PGAPPNAME=host.name, **fuse,
        )  # fmt: skip

    with ThreadPoolExecutor() as pool:  # the three start together
        processes.extend(pool.map(start, network.hosts))
    processes.append(spawn(celery("beat", "--schedule", str(tmp_path / "beat-schedule")),
                           tmp_path / "beat.log", **fuse))  # fmt: skip
    say(f"a worker (one process) in each host, over its link; the scheduler on this machine "
        f"({time.monotonic() - started:.1f} s to start)")  # fmt: skip

    petition = one_host.petition_with_lines("hosts")
    total = Line.objects.filter(petition=petition).count()
    batches = Batches(network.hosts)
    batches.start()
    try:
        sent = validation_enqueue(petition_id=petition.pk)
        say(f"{total:,} lines pending; {sent} validation tasks sent")
        cut, xid = wait_for(lambda: in_second_batch(network.hosts, batches), 60,
                            "a host in its second batch", interval=0.005)  # fmt: skip
        ip("link", "set", cut.link, "down")
        cut_at = time.monotonic()
        at_cut = one_host.decided(petition)
        others = [host for host in network.hosts if host is not cut]
        task = received(workers[cut.name].read_text())[-1]
        before = {h.name: received(workers[h.name].read_text()).count(task) for h in others}
        time.sleep(0.5)  # the claim, a statement PostgreSQL runs to its end, has locked them all
        assert batches.current.get(cut.name, ("",))[0] == xid, (
            "the batch ended before the cut took effect: give it more lines"
        )
        with connection.cursor() as cursor:
            # The lines its transaction holds (a row lock is the locker's id in xmax).
            cursor.execute(
                "SELECT id FROM petitions_line WHERE petition_id = %s AND status = 'pending' "
                "AND xmax::text = %s",
                [petition.pk, xid],
            )
            batch = [row[0] for row in cursor.fetchall()]
        assert batch, "the host's transaction held no lines"
        say(f"cut {cut.name} off (ip link set {cut.link} down) in the middle of a batch: its "
            f"transaction {xid} holds {len(batch):,} lines; {at_cut:,} of {total:,} decided"
        )  # fmt: skip

        wait_for(lambda: xid not in {x for x, _ in batches.current.values()}, 30,
                 "PostgreSQL to end the cut host's transaction")  # fmt: skip
        freed = time.monotonic() - cut_at
        say(f"{freed:.1f} s after the cut, the forwarder gave up on the "
            "silent host and PostgreSQL rolled its transaction back: its lines are pending "
            "again, unlocked")  # fmt: skip

        def delivered_again() -> Host | None:
            for host in others:
                if received(workers[host.name].read_text()).count(task) > before[host.name]:
                    return host
            return None

        # Both, in either order: the sweep sends workers that claim the batch's lines once they
        # are free, and Redis hands the cut host's task, never acknowledged, to another worker.
        redelivered = finished = None  # seconds after the cut
        taker: Host | None = None
        while taker is None or redelivered is None or finished is None:
            elapsed = time.monotonic() - cut_at
            if elapsed > VISIBILITY_TIMEOUT + 60:
                pytest.fail(f"after {elapsed:.0f} s: task delivered again after {redelivered} s, "
                            f"every line decided after {finished} s")  # fmt: skip
            if redelivered is None and (taker := delivered_again()):
                redelivered = elapsed
            if finished is None and one_host.decided(petition) == total:
                finished = elapsed
            time.sleep(0.2)
        say(f"every line decided {finished:.1f} s after the cut (the sweep sends workers to "
            f"pending lines every 2 s); {redelivered:.1f} s after it, past the visibility "
            f"timeout ({VISIBILITY_TIMEOUT} s from its first delivery), Redis gave the cut "
            f"host's unacknowledged task to {taker.name}")  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT xmin::text FROM petitions_line WHERE id = ANY(%s)",
                           [batch])  # fmt: skip
            batch_writers = {row[0] for row in cursor.fetchall()}
    finally:
        batches.done.set()
        batches.join(timeout=10)

    per_host = batches.committed()
    say("lines decided in batches that committed, by host: "
        + ", ".join(f"{host.name} {per_host[host.name]:,}" for host in network.hosts))  # fmt: skip
    assert all(per_host[host.name] for host in network.hosts), per_host
    assert xact_status([xid]) == {xid: "aborted"}  # the cut host's batch never committed
    assert xid not in batch_writers
    takers = sorted({batches.owner.get(w, "?") for w in batch_writers})
    assert cut.name not in takers
    say(f"the cut host's batch of {len(batch):,} lines was decided by {', '.join(takers)}")
    one_host.check_exactly_once(petition)
    say(f"{time.monotonic() - started:.0f} s in all")


def in_second_batch(hosts: list[Host], batches: Batches) -> tuple[Host, str] | None:
    """A host that has decided lines and has just claimed another batch (so it holds the batch
    for a while yet), with its transaction id."""
    now = time.monotonic()
    for host in hosts:
        xid, since = batches.current.get(host.name, ("", 0.0))
        if xid and now - since < 0.1 and len(batches.of(host)) >= 2:
            return host, xid
    return None
