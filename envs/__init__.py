"""Gymnasium environments over clawgym worlds."""

from clawgym.envs.assistant import AssistantEnv, StepLimit, make_assistant
from clawgym.envs.task import TaskSpec, load_suite, load_task

__all__ = ["AssistantEnv", "StepLimit", "TaskSpec", "load_suite", "load_task", "make_assistant"]
