"""The worker queue applies again a load balancer whose apply raised, so a change
whose failure could not even be recorded still ends once the cause is gone."""
import threading

from heat_lbaas.controller.worker import queue


def test_an_apply_that_raised_is_tried_again_until_it_works(monkeypatch):
    monkeypatch.setattr(queue, 'RETRY_DELAYS', (0.01, 0.02))
    calls = []
    done = threading.Event()

    def apply(lb_id):
        calls.append(lb_id)
        if len(calls) < 4:
            raise OSError(24, 'Too many open files')
        done.set()

    worker = queue.PerLoadBalancerQueue(apply, threads=2)
    worker.start()
    try:
        worker.submit('lb-1')
        assert done.wait(10)
        assert calls == ['lb-1'] * 4
        assert worker.wait_idle(5)
    finally:
        worker.stop()

