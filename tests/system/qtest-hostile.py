#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The device against a hostile guest, without a guest: QEMU under qtest.

Each check is named after the behaviour it guards.  Descriptor chains are
laid out by hand (tests/system/vcd_qtest.py), so they can point where no
driver would: at the device's own registers, over 4 GiB.  Main-loop stalls
are the time QEMU takes to answer the qtest command that triggers them.

    tests/system/qtest-hostile.py [NAME-SUBSTRING...]
"""
import re
import struct
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from vcd_qtest import (Device, Qtest, req_header, OP_CREATE, OP_HASH,  # noqa
                       F_HASH_UPDATE, CRYPTO_SHA2_256, RESP_LEN, S_OK,
                       ST_DRIVER_OK, ST_NEEDS_RESET)

MIB = 1 << 20
BIG = 64 * MIB
failures = 0
checks = []


def check(fn):
    checks.append(fn)
    return fn


def create_aimed_at_status(dev):
    """A CREATE_SESSION whose last 4 response bytes go to device_status."""
    out = dev.data
    dev.qt.write(out, req_header(OP_CREATE, mac=CRYPTO_SHA2_256))
    dev.post([(out, 48, False), (dev.data + 0x1000, RESP_LEN - 4, True),
              (dev.status_addr, 4, True)])


def responsive_after_response_at_device_status(props):
    qt = Qtest(props)
    try:
        dev = Device(qt)
        create_aimed_at_status(dev)
        # A deadlocked QEMU answers neither: both time out.
        dev.wait_used(1, timeout=10)
        qt.ping(timeout=10)
        st = dev.status()
        assert st & ST_DRIVER_OK and not st & ST_NEEDS_RESET, \
            "device status %#x" % st
        # The device still works.
        assert dev.create_session(mac=CRYPTO_SHA2_256)
    finally:
        qt.close()


@check
def response_at_device_status_does_not_hang_qemu_thread_pool_path():
    responsive_after_response_at_device_status("inline-max=0")


@check
def response_at_device_status_does_not_hang_qemu_inline_path():
    responsive_after_response_at_device_status("")


@check
def in_part_of_4_gib_breaks_the_ring_instead_of_truncating():
    qt = Qtest()
    try:
        dev = Device(qt)
        out = dev.data
        qt.write(out, req_header(OP_CREATE, mac=CRYPTO_SHA2_256))
        # 32 x 128 MiB over the same guest memory, then the response.
        chain = [(out, 48, False)]
        chain += [(dev.data + MIB, 128 * MIB, True)] * 32
        chain += [(dev.data + 0x1000, RESP_LEN, True)]
        dev.post(chain)
        qt.ping()
        st = dev.status()
        assert st & ST_NEEDS_RESET, "device status %#x, used idx %d" % (
            st, dev.used_idx())
        assert dev.used_idx() == 0, "a used length was pushed"
    finally:
        qt.close()


def hash_session(dev, q=0):
    return dev.create_session(mac=CRYPTO_SHA2_256, q=q)


def post_big(dev, session, n, q=0):
    """n SHA-256 updates of 64 MiB each, all over the same guest memory."""
    src = 256 * MIB
    hdr = dev.data + 0x20000
    dev.qt.write(hdr, req_header(OP_HASH, flags=F_HASH_UPDATE,
                                 session=session, src_len=BIG))
    for i in range(n):
        resp = dev.data + 0x30000 + RESP_LEN * (i + 64 * q)
        dev.post([(hdr, 48, False), (src, BIG, False),
                  (resp, RESP_LEN, True)], q, notify=False)


def time_one_big(dev, session):
    post_big(dev, session, 1)
    t0 = time.monotonic()
    dev.kick()
    dev.wait_used(1, timeout=120)
    t = time.monotonic() - t0
    st = struct.unpack("<QII", dev.qt.read(dev.data + 0x30000, RESP_LEN))[1]
    assert st == S_OK, "a 64 MiB request: status %d" % st
    return t


def two_queues_and_a_hash_session():
    """QEMU, its device with two queues, a session, one request's time."""
    qt = Qtest("max-data-len=%d,queues=2" % BIG, mem="768M")
    dev = Device(qt, queues=2)
    h = hash_session(dev)
    time_one_big(dev, h)    # the first touches every page
    return qt, dev, h, time_one_big(dev, h)


@check
def reset_with_large_requests_queued_does_not_freeze_the_main_loop():
    qt, dev, h, one = two_queues_and_a_hash_session()
    try:
        post_big(dev, h, 31)
        dev.kick()
        time.sleep(one / 2)     # the first one runs
        stall = qt.timed("writeb 0x%x 0x0" % dev.status_addr, 120)
        stall += qt.ping(120)
        print("     one 64 MiB request %.3f s; reset with 31 queued froze "
              "the main loop %.3f s" % (one, stall))
        # Only what runs may be waited for: one request on the session.
        assert stall < 2 * one + 0.25, "reset took %.3f s" % stall
        dev.init()
        assert dev.create_session(mac=CRYPTO_SHA2_256)
    finally:
        qt.close()


@check
def small_request_on_a_busy_session_does_not_freeze_the_main_loop():
    qt, dev, h, one = two_queues_and_a_hash_session()
    try:
        # Fewer than pool-max, so that the small one is popped at once.
        post_big(dev, h, 15)
        dev.kick()
        time.sleep(one / 2)
        out, inp = dev.data + 0x40000, dev.data + 0x41000
        qt.write(out, req_header(OP_HASH, flags=F_HASH_UPDATE, session=h,
                                 src_len=16) + bytes(16))
        dev.post([(out, 64, False), (inp, RESP_LEN, True)], 1,
                 notify=False)
        # The handler may run at the notification or just after it.
        stall = dev.kick(1) + qt.ping(120)
        print("     one 64 MiB request %.3f s; 16-byte request behind 15 "
              "froze the main loop %.3f s" % (one, stall))
        assert stall < one / 2, "the notification took %.3f s" % stall
        dev.wait_used(1, 1, timeout=120)
        st = struct.unpack("<QII", qt.read(inp, RESP_LEN))[1]
        assert st == S_OK, "status %d" % st
        qt.timed("writeb 0x%x 0x0" % dev.status_addr, 120)
    finally:
        qt.close()


def queue_reset(dev, q):
    """Reset one queue (VIRTIO_F_RING_RESET); seconds until QEMU answers."""
    c = dev.common
    dev.qt.writew(c + 22, q)                    # queue_select
    return dev.qt.timed("writew 0x%x 0x1" % (c + 58), 120) + dev.qt.ping(120)


@check
def queue_reset_waits_neither_for_other_queues_nor_its_backlog():
    qt, dev, h, one = two_queues_and_a_hash_session()
    try:
        h1 = hash_session(dev, q=1)
        post_big(dev, h1, 15, q=1)
        dev.kick(1)
        time.sleep(one / 2)
        idle = queue_reset(dev, 0)
        print("     one 64 MiB request %.3f s; resetting an idle queue while "
              "another has 15 froze the main loop %.3f s" % (one, idle))
        assert idle < one / 2, "idle queue reset took %.3f s" % idle
        # The other queue's requests all complete.
        dev.wait_used(15, 1, timeout=120)
        dev.queues[0] = dev.setup_queue(0)
        post_big(dev, h, 15, q=0)
        dev.kick(0)
        time.sleep(one / 2)
        busy = queue_reset(dev, 0)
        print("     resetting a queue with 15 queued froze the main loop "
              "%.3f s" % busy)
        assert busy < 2 * one + 0.25, "queue reset took %.3f s" % busy
    finally:
        qt.close()


@check
def device_bounds_its_thread_pool_share_and_its_batches():
    qt = Qtest("max-data-len=%d,pool-max=2" % BIG, mem="768M",
               extra=["-trace", "virtio_cryptodev_pop_stop"])
    try:
        dev = Device(qt)
        h = hash_session(dev)
        post_big(dev, h, 8)
        dev.kick()
        dev.wait_used(8, timeout=120)
        # 100 small requests at one notification: popped 32 at a time.
        hdr = dev.data + 0x40000
        qt.write(hdr, req_header(OP_HASH, flags=F_HASH_UPDATE, session=h,
                                 src_len=16) + bytes(16))
        for i in range(100):
            dev.post([(hdr, 64, False),
                      (dev.data + 0x50000 + RESP_LEN * i, RESP_LEN, True)],
                     notify=False)
        dev.kick()
        dev.wait_used(100, timeout=60)
        log = qt.qemu_log()
        pool = [int(n) for n in re.findall(r"\((\d+) on the pool\)", log)]
        assert pool, "no pop loop ever stopped:\n" + log[-2000:]
        assert max(pool) <= 2, "%d requests on the pool" % max(pool)
        assert 2 in pool, "the pool limit never stopped the pop loop"
        assert 0 in pool, "the batch limit never stopped the pop loop"
    finally:
        qt.close()


def main():
    global failures
    want = sys.argv[1:]
    for fn in checks:
        name = fn.__name__
        if want and not any(w in name for w in want):
            continue
        try:
            fn()
            print("ok   " + name.replace("_", " "))
        except (AssertionError, OSError, RuntimeError) as e:
            print("FAIL %s: %s" % (name.replace("_", " "), e))
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
