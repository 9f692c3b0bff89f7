"""The pause the devcloud's Heat gives oslo.messaging's fake driver between two looks
at its queues (heat_lbaas/devcloud/message_arrival.py): it ends at a delivery, and at
once for a delivery that came while the listener was looking."""
import threading
import time

from heat_lbaas.devcloud import message_arrival


def test_a_delivery_ends_a_pause():
    arrival = message_arrival.MessageArrival()
    started = threading.Event()

    def listener():
        arrival.sleep(0)        # the pause before: the thread's deliveries seen
        started.set()
        arrival.sleep(60)

    thread = threading.Thread(target=listener, daemon=True)
    thread.start()
    started.wait(5)
    arrival.delivered()
    thread.join(timeout=10)
    assert not thread.is_alive(), 'a delivery did not end the 60 s pause'


def test_a_delivery_between_pauses_ends_the_next_one_at_once():
    arrival = message_arrival.MessageArrival()
    arrival.sleep(0)
    arrival.delivered()         # while the listener looked at its queues
    began = time.monotonic()
    arrival.sleep(60)
    assert time.monotonic() - began < 30


def test_without_a_delivery_a_pause_lasts_its_time_and_time_is_the_real_one():
    arrival = message_arrival.MessageArrival()
    began = time.monotonic()
    arrival.sleep(0.05)
    assert time.monotonic() - began >= 0.05
    assert arrival.time() <= time.time()
