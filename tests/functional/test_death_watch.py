"""The death watch reports a watched process's exit at once, and nothing for a process
it was told to forget (a master the controller stops on purpose)."""
import queue
import subprocess

from heat_lbaas.controller.amphora import death_watch


def sleeper():
    return subprocess.Popen(['sleep', '60'])


def test_reports_the_exit_of_a_watched_process_and_not_a_forgotten_one():
    exited = queue.Queue()
    watch = death_watch.DeathWatch(exited.put)
    watched, forgotten = sleeper(), sleeper()
    try:
        watch.watch('lb-a', watched.pid)
        watch.watch('lb-b', forgotten.pid)
        watch.forget('lb-b')
        forgotten.kill()
        forgotten.wait()
        watched.kill()
        assert exited.get(timeout=5) == 'lb-a'
        watched.wait()
        # A process that is gone before it is watched is reported at once.
        watch.watch('lb-c', watched.pid)
        assert exited.get(timeout=5) == 'lb-c'
        assert exited.empty()
    finally:
        watch.stop()
        for process in (watched, forgotten):
            process.kill()
            process.wait()


def test_watching_again_replaces_the_previous_process():
    exited = queue.Queue()
    watch = death_watch.DeathWatch(exited.put)
    old, new = sleeper(), sleeper()
    try:
        watch.watch('lb', old.pid)
        watch.watch('lb', new.pid)      # a failover's new master
        old.kill()
        old.wait()
        new.kill()
        assert exited.get(timeout=5) == 'lb'
        new.wait()
        assert exited.empty()
    finally:
        watch.stop()
        for process in (old, new):
            process.kill()
            process.wait()
