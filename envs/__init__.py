"""Gymnasium environments over clawgym worlds: one base env for every family, surfaces, tasks."""

from clawgym.envs.assistant import AssistantEnv, make_assistant
from clawgym.envs.env import WorldEnv
from clawgym.envs.make import make
from clawgym.envs.step_limit import StepLimit
from clawgym.envs.task import TaskSpec, load_suite, load_task

__all__ = ["AssistantEnv", "StepLimit", "TaskSpec", "WorldEnv", "load_suite", "load_task", "make", "make_assistant"]
