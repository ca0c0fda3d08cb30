"""The four code folders are subpackages of clawgym; the package list is computed, never written by hand."""

from setuptools import find_packages, setup

SUBPACKAGES = ["envs", "agents", "worlds", "verifiers"]

setup(
    packages=["clawgym"] + [f"clawgym.{p}" for p in find_packages(include=[f"{s}*" for s in SUBPACKAGES])],
    package_dir={"clawgym": "clawgym", **{f"clawgym.{s}": s for s in SUBPACKAGES}},
)
