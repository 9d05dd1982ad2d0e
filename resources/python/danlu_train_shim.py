"""Danlu launcher shim for kohya-ss/sd-scripts training scripts.

Started by accelerate in place of the training script:

    python -m accelerate.commands.launch [launch options] danlu_train_shim.py <sd-scripts>/train_network.py [script options]

It runs the real script unchanged (as ``__main__``, with the script's own ``sys.argv`` and ``sys.path[0]``;
the working directory is left as the launcher set it, normally the sd-scripts folder) and mirrors every
metrics call the script makes to accelerate as one JSON line in the file named by ``DANLU_METRICS_FILE``:

    {"step": 12, "time": 1733140000123, "values": {"loss/current": 0.1, "loss/average": 0.12, "lr/unet": 0.0001}}

Why here: kohya's per-step loss and learning rates only reach the console rounded (tqdm postfix). The
scripts hand them to accelerate: train_db.py / sdxl_train.py call ``Accelerator.log``, while
train_network.py / sdxl_train_network.py call ``tracker.log`` on the TensorBoard (or W&B) tracker directly.
Both are wrapped, after accelerate is imported by the script, through an import hook, so this file imports
nothing heavy itself. Only the main process writes. Non-finite numbers are written as "nan"/"inf"/"-inf".
If the file cannot be written the shim says so once on stderr and training goes on untouched.

Python 3.10+, standard library only.
"""

import importlib.abc
import importlib.util
import json
import math
import os
import runpy
import sys
import threading
import time

METRICS_ENV = "DANLU_METRICS_FILE"
_PATCHED_FLAG = "_danlu_metrics_patched"


def _is_main_process():
    # accelerate / torchrun set RANK (global) and LOCAL_RANK for every process of a multi-GPU run.
    for name in ("RANK", "LOCAL_RANK"):
        value = os.environ.get(name)
        if value not in (None, ""):
            return value == "0"
    return True


def _number(value):
    """A JSON-safe number for a logged value, or None for anything else (text, images, dicts)."""
    if isinstance(value, bool):
        return None
    if not isinstance(value, (int, float)) and hasattr(value, "item"):
        try:
            value = value.item()  # torch / numpy scalars
        except Exception:
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
    return value


class _Recorder:
    def __init__(self, path):
        self.path = path
        self.file = None
        self.failed = False
        self.lock = threading.Lock()
        self.local = threading.local()  # "inside Accelerator.log" flag, so trackers do not record twice
        self.last_step = 0
        self.tensorboard_seen = False

    def record(self, values, step):
        if self.failed or not isinstance(values, dict):
            return
        try:
            clean = {}
            for key, value in values.items():
                number = _number(value)
                if number is not None:
                    clean[str(key)] = number
            if step is None:
                step = values.get("global_step", self.last_step)
            step = int(step)
            self.last_step = step
            if not clean:
                return
            line = json.dumps(
                {"step": step, "time": int(time.time() * 1000), "values": clean}, ensure_ascii=False, allow_nan=False
            )
            with self.lock:
                if self.file is None:
                    folder = os.path.dirname(os.path.abspath(self.path))
                    os.makedirs(folder, exist_ok=True)
                    self.file = open(self.path, "a", encoding="utf-8")
                self.file.write(line + "\n")
                self.file.flush()
        except Exception as error:  # never let metrics break a training run
            self.failed = True
            try:
                sys.stderr.write(f"[danlu] metrics file disabled ({self.path}): {error}\n")
                sys.stderr.flush()
            except Exception:
                pass


_recorder = None


def _wrap_accelerator_log(original):
    def log(self, values, step=None, *args, **kwargs):
        if _recorder is not None:
            _recorder.record(values, step)
            _recorder.local.inside = True
        try:
            return original(self, values, step, *args, **kwargs)
        finally:
            if _recorder is not None:
                _recorder.local.inside = False

    log.__wrapped__ = original
    return log


def _wrap_tracker_log(original, is_tensorboard):
    def log(self, values, step=None, *args, **kwargs):
        recorder = _recorder
        if recorder is not None and not getattr(recorder.local, "inside", False):
            if is_tensorboard:
                recorder.tensorboard_seen = True
                recorder.record(values, step)
            elif not recorder.tensorboard_seen:
                recorder.record(values, step)  # W&B only: train_network.py passes global_step in the values
        return original(self, values, step, *args, **kwargs)

    log.__wrapped__ = original
    return log


def _patch(module_name, module):
    if module_name == "accelerate.accelerator":
        cls = getattr(module, "Accelerator", None)
        if cls is not None and not getattr(cls, _PATCHED_FLAG, False):
            cls.log = _wrap_accelerator_log(cls.log)
            setattr(cls, _PATCHED_FLAG, True)
    elif module_name == "accelerate.tracking":
        for name, is_tensorboard in (("TensorBoardTracker", True), ("WandBTracker", False)):
            cls = getattr(module, name, None)
            if cls is not None and "log" in cls.__dict__ and not cls.__dict__.get(_PATCHED_FLAG, False):
                cls.log = _wrap_tracker_log(cls.log, is_tensorboard)
                setattr(cls, _PATCHED_FLAG, True)


_TARGETS = ("accelerate.accelerator", "accelerate.tracking")


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader, name):
        self._loader = loader
        self._name = name

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        try:
            _patch(self._name, module)
        except Exception as error:
            sys.stderr.write(f"[danlu] metrics hook not installed: {error}\n")

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _PatchingFinder(importlib.abc.MetaPathFinder):
    """Patches accelerate's classes right after their modules are executed by whoever imports them."""

    def find_spec(self, fullname, path, target=None):
        if fullname not in _TARGETS:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _PatchingLoader(spec.loader, fullname)
                return spec
        return None


def install(path):
    global _recorder
    _recorder = _Recorder(path)
    for name in _TARGETS:
        if name in sys.modules:
            _patch(name, sys.modules[name])
    sys.meta_path.insert(0, _PatchingFinder())


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: danlu_train_shim.py <sd-scripts>/<training script>.py [options]\n")
        return 2
    script = os.path.abspath(argv[1])
    if not os.path.isfile(script):
        sys.stderr.write(f"[danlu] training script not found: {script}\n")
        return 2
    metrics_file = os.environ.get(METRICS_ENV)
    if metrics_file and _is_main_process():
        install(metrics_file)
    # Exactly what `python <script> <options>` would see.
    sys.argv = [script] + list(argv[2:])
    sys.path[0] = os.path.dirname(script)
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
