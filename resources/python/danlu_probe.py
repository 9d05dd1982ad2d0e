"""Danlu environment probe.

Runs inside the training engine's own interpreter and prints exactly ONE JSON line on stdout describing
that environment: Python, torch and its CUDA build, the GPUs torch can see, the versions of the packages
kohya-ss/sd-scripts needs, and (given the sd-scripts folder as the first argument) its version and
training scripts.

Rules this file keeps:
- standard library only at the top; every third-party import is guarded, so a missing or broken package
  is reported in the JSON instead of ending the probe;
- nothing but the final JSON line reaches stdout: packages that print banners on import (bitsandbytes,
  xformers, some torch builds) have their output moved to stderr;
- no git, no pip, no network: the sd-scripts commit is read from the files under .git.

Usage: python -X utf8 -u danlu_probe.py [SD_SCRIPTS_DIR]
"""

import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import sys
import traceback

PROBE_VERSION = 1

# Distribution names (as pip knows them) -> import name used for the "importable" check.
PACKAGES = {
    "torch": "torch",
    "torchvision": "torchvision",
    "accelerate": "accelerate",
    "transformers": "transformers",
    "diffusers": "diffusers",
    "safetensors": "safetensors",
    "bitsandbytes": "bitsandbytes",
    "xformers": "xformers",
    "lycoris-lora": "lycoris",
    "prodigyopt": "prodigyopt",
    "dadaptation": "dadaptation",
    "numpy": "numpy",
    "tensorboard": "tensorboard",
}

TRAINING_SCRIPTS = [
    "train_network.py",
    "sdxl_train_network.py",
    "train_db.py",
    "sdxl_train.py",
    "fine_tune.py",
    "flux_train_network.py",
    "sd3_train_network.py",
    "train_textual_inversion.py",
    "sdxl_train_textual_inversion.py",
]


def short_error(error):
    text = "%s: %s" % (type(error).__name__, error)
    return text[:500]


def package_info(dist_name, import_name):
    info = {"name": dist_name, "version": None, "importable": False}
    try:
        info["version"] = importlib.metadata.version(dist_name)
    except importlib.metadata.PackageNotFoundError:
        pass
    except Exception as error:  # a broken .dist-info must not end the probe
        info["error"] = short_error(error)
    try:
        info["importable"] = importlib.util.find_spec(import_name) is not None
    except Exception as error:
        info["error"] = short_error(error)
    return info


def torch_info():
    result = {"importable": False}
    try:
        import torch  # noqa: PLC0415 - guarded on purpose
    except BaseException as error:  # DLL load failures raise OSError; some builds raise SystemExit
        result["error"] = short_error(error)
        return result
    result["importable"] = True
    result["version"] = getattr(torch, "__version__", None)
    result["cudaBuild"] = getattr(getattr(torch, "version", None), "cuda", None)
    gpus = []
    try:
        result["cudaAvailable"] = bool(torch.cuda.is_available())
    except BaseException as error:
        result["cudaAvailable"] = False
        result["cudaError"] = short_error(error)
    try:
        result["archList"] = list(torch.cuda.get_arch_list()) if result["cudaAvailable"] else []
    except BaseException as error:
        result["archList"] = []
        result["cudaError"] = short_error(error)
    try:
        cudnn = torch.backends.cudnn
        result["cudnnVersion"] = cudnn.version() if cudnn.is_available() else None
    except BaseException as error:
        result["cudnnVersion"] = None
        result["cudnnError"] = short_error(error)
    if result["cudaAvailable"]:
        try:
            for index in range(torch.cuda.device_count()):
                props = torch.cuda.get_device_properties(index)
                gpus.append(
                    {
                        "index": index,
                        "name": props.name,
                        "totalMemoryBytes": int(props.total_memory),
                        "capability": [int(props.major), int(props.minor)],
                        "multiProcessors": int(getattr(props, "multi_processor_count", 0)),
                    }
                )
        except BaseException as error:
            result["cudaError"] = short_error(error)
        try:
            result["bf16Supported"] = bool(torch.cuda.is_bf16_supported())
        except BaseException:
            result["bf16Supported"] = None
    result["gpus"] = gpus
    return result


def read_text(path):
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def git_dir_of(folder):
    dot_git = os.path.join(folder, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    if os.path.isfile(dot_git):  # a submodule or worktree: "gitdir: <path>"
        content = read_text(dot_git) or ""
        match = re.match(r"gitdir:\s*(.+)", content.strip())
        if match:
            target = match.group(1).strip()
            if not os.path.isabs(target):
                target = os.path.normpath(os.path.join(folder, target))
            if os.path.isdir(target):
                return target
    return None


def packed_refs(git_dir):
    """name -> commit, and commit -> [tag names] (peeled tags included)."""
    refs = {}
    tags_by_commit = {}
    content = read_text(os.path.join(git_dir, "packed-refs")) or ""
    last_tag = None
    for line in content.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("^") and last_tag:
            tags_by_commit.setdefault(line[1:], []).append(last_tag)
            continue
        parts = line.split(" ", 1)
        if len(parts) != 2:
            continue
        sha, name = parts
        refs[name] = sha
        last_tag = None
        if name.startswith("refs/tags/"):
            last_tag = name[len("refs/tags/"):]
            tags_by_commit.setdefault(sha, []).append(last_tag)
    return refs, tags_by_commit


def loose_tags(git_dir, tags_by_commit):
    base = os.path.join(git_dir, "refs", "tags")
    for root, _dirs, files in os.walk(base):
        for name in files:
            sha = (read_text(os.path.join(root, name)) or "").strip()
            tag = os.path.relpath(os.path.join(root, name), base).replace(os.sep, "/")
            if re.fullmatch(r"[0-9a-f]{40}", sha):
                tags_by_commit.setdefault(sha, []).append(tag)


def sd_scripts_info(folder):
    info = {"dir": folder, "exists": os.path.isdir(folder)}
    if not info["exists"]:
        return info
    info["scripts"] = [name for name in TRAINING_SCRIPTS if os.path.isfile(os.path.join(folder, name))]
    info["hasTrainUtil"] = os.path.isfile(os.path.join(folder, "library", "train_util.py"))
    git_dir = git_dir_of(folder)
    if git_dir:
        head = (read_text(os.path.join(git_dir, "HEAD")) or "").strip()
        refs, tags_by_commit = packed_refs(git_dir)
        loose_tags(git_dir, tags_by_commit)
        commit = None
        if head.startswith("ref:"):
            ref = head[4:].strip()
            info["branch"] = ref[len("refs/heads/"):] if ref.startswith("refs/heads/") else ref
            commit = (read_text(os.path.join(git_dir, *ref.split("/"))) or "").strip() or refs.get(ref)
        elif re.fullmatch(r"[0-9a-f]{40}", head):
            commit = head
        if commit:
            info["commit"] = commit
            tags = tags_by_commit.get(commit)
            if tags:
                info["tags"] = sorted(tags)
    # Archives (zip downloads, Qiuye's copies) have no .git; some carry a commit or version file.
    for name in ("COMMIT_ID", ".commit", "VERSION", "version.txt"):
        content = read_text(os.path.join(folder, name))
        if content and content.strip():
            info["versionFile"] = {"name": name, "content": content.strip()[:200]}
            break
    readme = read_text(os.path.join(folder, "README.md")) or ""
    match = re.search(r"Version\s+(\d+\.\d+\.\d+)", readme)
    if match:
        info["readmeVersion"] = match.group(1)
    return info


def main():
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # anything printed while importing goes to stderr
    report = {"danluProbe": PROBE_VERSION}
    try:
        report["python"] = {
            "version": platform.python_version(),
            "executable": sys.executable,
            "prefix": sys.prefix,
            "basePrefix": getattr(sys, "base_prefix", sys.prefix),
            "implementation": platform.python_implementation(),
            "bits": 64 if sys.maxsize > 2**32 else 32,
            "utf8Mode": bool(sys.flags.utf8_mode),
        }
        report["platform"] = {
            "system": platform.system(),
            "release": platform.release(),
            "machine": platform.machine(),
            "sysPlatform": sys.platform,
        }
        report["packages"] = [package_info(dist, module) for dist, module in PACKAGES.items()]
        report["torch"] = torch_info()
        if len(sys.argv) > 1 and sys.argv[1]:
            report["sdScripts"] = sd_scripts_info(sys.argv[1])
    except BaseException as error:  # report what we have rather than nothing
        report["probeError"] = short_error(error)
        traceback.print_exc()
    real_stdout.write(json.dumps(report, ensure_ascii=True) + "\n")
    real_stdout.flush()


if __name__ == "__main__":
    main()
