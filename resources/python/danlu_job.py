"""Danlu: run a command inside a Windows Job Object, so the whole training tree ends with this process.

    python danlu_job.py -- <python> -X utf8 -u -m accelerate.commands.launch ...

Started by Danlu's run wrapper on Windows only (windows-notes §2, "surviving" model, stage B). The Job
Object has JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE and no breakaway flag: accelerate's training process, the
DataLoader workers and the venv redirectors all stay inside it, and when this process ends — stopped by
Danlu (taskkill /T /F), killed from Task Manager, or crashed — Windows closes the job handle and ends every
process in it. No orphan keeps the GPU memory.

Elsewhere (or if the job cannot be created, e.g. inside a job that forbids nesting) the command simply runs
as a child. The exit code of the command is this process's exit code. Python 3.8+, standard library only.
"""

import os
import subprocess
import sys


def _job_object():
    if os.name != "nt":
        return None
    try:
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)

        class BasicLimits(ctypes.Structure):
            _fields_ = [
                ("PerProcessUserTimeLimit", ctypes.c_int64),
                ("PerJobUserTimeLimit", ctypes.c_int64),
                ("LimitFlags", wintypes.DWORD),
                ("MinimumWorkingSetSize", ctypes.c_size_t),
                ("MaximumWorkingSetSize", ctypes.c_size_t),
                ("ActiveProcessLimit", wintypes.DWORD),
                ("Affinity", ctypes.c_size_t),
                ("PriorityClass", wintypes.DWORD),
                ("SchedulingClass", wintypes.DWORD),
            ]

        class IoCounters(ctypes.Structure):
            _fields_ = [
                (name, ctypes.c_uint64)
                for name in (
                    "ReadOperationCount",
                    "WriteOperationCount",
                    "OtherOperationCount",
                    "ReadTransferCount",
                    "WriteTransferCount",
                    "OtherTransferCount",
                )
            ]

        class ExtendedLimits(ctypes.Structure):
            _fields_ = [
                ("BasicLimitInformation", BasicLimits),
                ("IoInfo", IoCounters),
                ("ProcessMemoryLimit", ctypes.c_size_t),
                ("JobMemoryLimit", ctypes.c_size_t),
                ("PeakProcessMemoryUsed", ctypes.c_size_t),
                ("PeakJobMemoryUsed", ctypes.c_size_t),
            ]

        kill_on_job_close = 0x2000
        extended_limit_information = 9
        kernel32.CreateJobObjectW.restype = wintypes.HANDLE
        kernel32.CreateJobObjectW.argtypes = [ctypes.c_void_p, wintypes.LPCWSTR]
        kernel32.SetInformationJobObject.restype = wintypes.BOOL
        kernel32.SetInformationJobObject.argtypes = [wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD]
        kernel32.GetCurrentProcess.restype = wintypes.HANDLE
        kernel32.AssignProcessToJobObject.restype = wintypes.BOOL
        kernel32.AssignProcessToJobObject.argtypes = [wintypes.HANDLE, wintypes.HANDLE]

        job = kernel32.CreateJobObjectW(None, None)
        if not job:
            return None
        limits = ExtendedLimits()
        limits.BasicLimitInformation.LimitFlags = kill_on_job_close
        if not kernel32.SetInformationJobObject(
            job, extended_limit_information, ctypes.byref(limits), ctypes.sizeof(limits)
        ):
            return None
        if not kernel32.AssignProcessToJobObject(job, kernel32.GetCurrentProcess()):
            return None
        return job  # the handle stays open for the life of this process; its end closes the job
    except Exception as error:  # never let the safety net stop a run
        sys.stderr.write(f"[danlu] no job object ({error}); the run goes on without it\n")
        return None


def main(argv):
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        sys.stderr.write("usage: danlu_job.py -- <command> [args...]\n")
        return 2
    job = _job_object()  # noqa: F841  (kept alive until exit)
    try:
        return subprocess.call(argv)
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        sys.stderr.write(f"[danlu] cannot start {argv[0]}: {error}\n")
        return 127


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
