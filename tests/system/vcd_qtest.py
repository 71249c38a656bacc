# SPDX-License-Identifier: GPL-2.0-or-later
"""A hostile virtio-pci driver for virtio-cryptodev, over QEMU's qtest protocol.

QEMU runs with -accel qtest: no guest code at all.  This module plays the
guest: it finds the device on the PCI bus, maps BAR4, negotiates, sets up
split rings in guest RAM and lays descriptor chains out by hand, so a test can
aim them anywhere -- at the device's own registers, over 4 GiB, at whatever a
driver would never do -- and time how long QEMU's main loop takes to answer.

Used by tests/system/qtest-hostile.py and bench/device/hostile-rss.
"""
import os
import socket
import struct
import subprocess
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
QEMU = os.environ.get("VCD_QEMU",
                      os.path.join(TOP, "build/qemu/qemu-system-x86_64"))

# Wire contract (include/virtio_cryptodev.h).
OP_CREATE, OP_DESTROY, OP_CIPHER, OP_HASH, OP_AEAD = 1, 2, 3, 4, 5
F_DECRYPT, F_HASH_UPDATE = 1, 4
CRYPTO_AES_CTR, CRYPTO_AES_GCM, CRYPTO_SHA2_256 = 21, 50, 104
S_OK, S_BADMSG, S_INVAL = 0, 1, 2
RESP_LEN = 16

# virtio-pci common configuration offsets.
C_DFSELECT, C_DF, C_GFSELECT, C_GF = 0, 4, 8, 12
C_NUMQ, C_STATUS = 18, 20
C_Q_SELECT, C_Q_SIZE, C_Q_ENABLE, C_Q_NOFF = 22, 24, 28, 30
C_Q_DESC, C_Q_AVAIL, C_Q_USED, C_Q_RESET = 32, 40, 48, 58
ST_ACK, ST_DRIVER, ST_DRIVER_OK, ST_FEATURES_OK, ST_NEEDS_RESET = 1, 2, 4, 8, 64
F_VERSION_1, F_RING_RESET = 32, 40

BAR4 = 0xe0000000
QSIZE = 256


def req_header(opcode, flags=0, session=0, cipher=0, mac=0, key_len=0,
               mac_key_len=0, iv_len=0, aad_len=0, src_len=0, tag_len=0):
    return struct.pack("<IIQIIIIIIII", opcode, flags, session, cipher, mac,
                       key_len, mac_key_len, iv_len, aad_len, src_len,
                       tag_len)


class Qtest:
    """One QEMU under qtest, spoken to over a socket."""

    def __init__(self, device_props="", mem="512M", extra=()):
        self.dir = tempfile.mkdtemp(prefix="vcd-qtest-")
        sock_path = os.path.join(self.dir, "qtest.sock")
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(sock_path)
        srv.listen(1)
        dev = "virtio-cryptodev-pci,engine=soft,addr=04.0"
        if device_props:
            dev += "," + device_props
        self.log = open(os.path.join(self.dir, "qemu.log"), "w+")
        args = [QEMU, "-machine", "pc", "-accel", "qtest", "-m", mem,
                "-L", "/usr/share/seabios", "-L", "/usr/lib/ipxe/qemu",
                "-L", "/usr/share/qemu",
                "-display", "none", "-nodefaults", "-nographic",
                "-serial", "none", "-monitor", "none",
                "-qtest", "unix:" + sock_path, "-qtest-log", "/dev/null",
                "-device", dev] + list(extra)
        self.proc = subprocess.Popen(args, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        srv.settimeout(30)
        try:
            self.sock, _ = srv.accept()
        except socket.timeout:
            raise RuntimeError("QEMU did not start: " + self.qemu_log())
        srv.close()
        self.rbuf = b""
        self.timeout = 60.0

    def qemu_log(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        # A QEMU built with sanitizers (build-qemu VCD_QEMU_ASAN=1) reports
        # on its standard error, which is our log.
        log = self.qemu_log()
        for mark in ("ERROR: AddressSanitizer", "runtime error:"):
            if mark in log:
                raise RuntimeError("QEMU's sanitizer: " +
                                   log[log.index(mark):][:2000])

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    # ---- the protocol: one command, one "OK ..." line -------------------

    def cmd(self, line, timeout=None):
        self.sock.sendall(line.encode() + b"\n")
        self.sock.settimeout(timeout or self.timeout)
        while b"\n" not in self.rbuf:
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                raise TimeoutError("QEMU did not answer '%s' within %.0f s"
                                   % (line[:40], timeout or self.timeout))
            if not data:
                raise RuntimeError("QEMU went away: " + self.qemu_log())
            self.rbuf += data
        reply, self.rbuf = self.rbuf.split(b"\n", 1)
        reply = reply.decode()
        if not reply.startswith("OK"):
            raise RuntimeError("qtest: %s -> %s" % (line[:60], reply))
        return reply[3:]

    def timed(self, line, timeout=None):
        t0 = time.monotonic()
        self.cmd(line, timeout)
        return time.monotonic() - t0

    def ping(self, timeout=10):
        """Seconds the main loop takes to answer a no-op."""
        # Not "clock_step 0": QEMU 10.0 answers FAIL when time does not move.
        return self.timed("endianness", timeout)

    def outl(self, port, v):
        self.cmd("outl 0x%x 0x%x" % (port, v))

    def inl(self, port):
        return int(self.cmd("inl 0x%x" % port), 16)

    def readb(self, a):
        return int(self.cmd("readb 0x%x" % a), 16)

    def readw(self, a):
        return int(self.cmd("readw 0x%x" % a), 16)

    def readl(self, a):
        return int(self.cmd("readl 0x%x" % a), 16)

    def writeb(self, a, v):
        self.cmd("writeb 0x%x 0x%x" % (a, v))

    def writew(self, a, v):
        self.cmd("writew 0x%x 0x%x" % (a, v))

    def writel(self, a, v):
        self.cmd("writel 0x%x 0x%x" % (a, v))

    def writeq(self, a, v):
        self.cmd("writeq 0x%x 0x%x" % (a, v))

    def write(self, a, data):
        if data:
            self.cmd("write 0x%x 0x%x 0x%s" % (a, len(data), data.hex()))

    def read(self, a, n):
        return bytes.fromhex(self.cmd("read 0x%x 0x%x" % (a, n))[2:])

    def memset(self, a, n, v):
        self.cmd("memset 0x%x 0x%x 0x%x" % (a, n, v))

    # ---- PCI configuration space (port I/O) -------------------------------

    def cfg_read(self, dev, off):
        self.outl(0xcf8, 0x80000000 | (dev << 11) | (off & ~3))
        return self.inl(0xcfc) >> (8 * (off & 3))

    def cfg_write(self, dev, off, v):
        self.outl(0xcf8, 0x80000000 | (dev << 11) | off)
        self.outl(0xcfc, v)


class Device:
    """virtio-cryptodev at slot 4, driven as a (hostile) guest would."""

    def __init__(self, qt, features=1 << F_VERSION_1, queues=1):
        self.qt = qt
        slot = 4
        ids = qt.cfg_read(slot, 0)
        if ids != 0x107f1af4:
            raise RuntimeError("no virtio-cryptodev at slot 4 (%#x)" % ids)
        qt.cfg_write(slot, 0x20, BAR4 | 0xc)     # 64-bit prefetchable BAR4
        qt.cfg_write(slot, 0x24, 0)
        qt.cfg_write(slot, 0x04, 0x6)            # memory + bus master
        self.common = self.notify = None
        cap = qt.cfg_read(slot, 0x34) & 0xff
        while cap:
            hdr = qt.cfg_read(slot, cap)
            if hdr & 0xff == 0x09:              # vendor: a virtio cap
                kind = (hdr >> 24) & 0xff
                bar = qt.cfg_read(slot, cap + 4) & 0xff
                off = qt.cfg_read(slot, cap + 8)
                if bar == 4 and kind == 1:
                    self.common = BAR4 + off
                elif bar == 4 and kind == 2:
                    self.notify = BAR4 + off
                    self.notify_mult = qt.cfg_read(slot, cap + 16)
                elif bar == 4 and kind == 4:
                    self.config = BAR4 + off
            cap = (hdr >> 8) & 0xff
        if self.common is None or self.notify is None:
            raise RuntimeError("virtio capabilities not found")
        self.status_addr = self.common + C_STATUS
        # RAM layout: rings from 1 MiB, data from 16 MiB.
        self.ring_base = 0x100000
        self.data = 0x1000000
        self.features = features
        self.nqueues = queues
        self.init()

    def init(self):
        qt, c = self.qt, self.common
        qt.writeb(c + C_STATUS, 0)
        qt.writeb(c + C_STATUS, ST_ACK | ST_DRIVER)
        qt.writel(c + C_GFSELECT, 0)
        qt.writel(c + C_GF, self.features & 0xffffffff)
        qt.writel(c + C_GFSELECT, 1)
        qt.writel(c + C_GF, self.features >> 32)
        qt.writeb(c + C_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK)
        if not qt.readb(c + C_STATUS) & ST_FEATURES_OK:
            raise RuntimeError("features refused")
        self.queues = []
        for q in range(self.nqueues):
            self.queues.append(self.setup_queue(q))
        qt.writeb(c + C_STATUS,
                  ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK)

    def setup_queue(self, q):
        qt, c = self.qt, self.common
        base = self.ring_base + q * 0x10000
        desc, avail, used = base, base + 0x1000, base + 0x2000
        qt.memset(base, 0x4000, 0)
        qt.writew(c + C_Q_SELECT, q)
        qt.writew(c + C_Q_SIZE, QSIZE)
        qt.writeq(c + C_Q_DESC, desc)
        qt.writeq(c + C_Q_AVAIL, avail)
        qt.writeq(c + C_Q_USED, used)
        noff = qt.readw(c + C_Q_NOFF)
        qt.writew(c + C_Q_ENABLE, 1)
        return {"desc": desc, "avail": avail, "used": used,
                "notify": self.notify + noff * self.notify_mult,
                "next_desc": 0, "avail_idx": 0, "used_seen": 0}

    def status(self):
        return self.qt.readb(self.status_addr)

    # ---- requests ----------------------------------------------------------

    def post(self, chain, q=0, notify=True):
        """Put one chain [(addr, len, writable), ...] on the ring.

        Returns the head descriptor index."""
        qu = self.queues[q]
        n = len(chain)
        first = qu["next_desc"]
        run_start, blob, prev = None, b"", None
        for i, (addr, ln, wr) in enumerate(chain):
            idx = (first + i) % QSIZE
            flags = (1 if i < n - 1 else 0) | (2 if wr else 0)
            d = struct.pack("<QIHH", addr, ln, flags,
                            (idx + 1) % QSIZE if i < n - 1 else 0)
            if run_start is not None and idx != prev + 1:
                self.qt.write(qu["desc"] + 16 * run_start, blob)
                run_start, blob = None, b""
            if run_start is None:
                run_start = idx
            blob += d
            prev = idx
        self.qt.write(qu["desc"] + 16 * run_start, blob)
        qu["next_desc"] = (first + n) % QSIZE
        slot = qu["avail_idx"] % QSIZE
        self.qt.writew(qu["avail"] + 4 + 2 * slot, first)
        qu["avail_idx"] = (qu["avail_idx"] + 1) & 0xffff
        self.qt.writew(qu["avail"] + 2, qu["avail_idx"])
        if notify:
            self.kick(q)
        return first

    def kick(self, q=0):
        return self.qt.timed("writew 0x%x 0x%x" % (self.queues[q]["notify"], q))

    def used_idx(self, q=0):
        return self.qt.readw(self.queues[q]["used"] + 2)

    def wait_used(self, count, q=0, timeout=60):
        """Wait until count more chains are used; return [(id, len)]."""
        qu = self.queues[q]
        want = (qu["used_seen"] + count) & 0xffff
        t_end = time.monotonic() + timeout
        while self.used_idx(q) != want:
            if time.monotonic() > t_end:
                raise TimeoutError("%d chains not used within %d s"
                                   % (count, timeout))
            time.sleep(0.002)
        out = []
        for i in range(count):
            slot = (qu["used_seen"] + i) % QSIZE
            out.append(struct.unpack("<II", self.qt.read(
                qu["used"] + 4 + 8 * slot, 8)))
        qu["used_seen"] = want
        return out

    def call(self, out_bytes, out_len_extra=0, in_len=RESP_LEN, q=0,
             timeout=60):
        """One request with one out and one in descriptor; (status, resp)."""
        o = self.data
        i = self.data + 0x10000
        self.qt.write(o, out_bytes)
        self.qt.memset(i, in_len, 0xa5)
        self.post([(o, len(out_bytes), False), (i, in_len, True)], q)
        self.wait_used(1, q, timeout)
        resp = self.qt.read(i + in_len - RESP_LEN, RESP_LEN)
        session, status, ln = struct.unpack("<QII", resp)
        return status, session

    def create_session(self, cipher=0, mac=0, key=b"", q=0):
        hdr = req_header(OP_CREATE, cipher=cipher, mac=mac,
                         key_len=len(key))
        status, session = self.call(hdr + key, q=q)
        if status != S_OK:
            raise RuntimeError("CREATE_SESSION: status %d" % status)
        return session
