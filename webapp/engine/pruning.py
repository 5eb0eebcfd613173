"""Forget the finished rounds of standard loops, so a case's state keeps its size however long it loops."""

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.mixins import StandardLoopTaskMixin
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState


def prune_loop_rounds(workflow: BpmnWorkflow) -> int:
    """Remove every finished round but the latest of each loop; return how many rounds were removed.

    SpiffWorkflow keeps each round (a task and, for a subprocess, its whole task tree) forever: 200 rounds
    of the document check made the state grow to about 900 KB. What a round did is recorded in Sala's own
    tables; the loop itself only needs the merged data (already on the loop task) and the latest round.
    """
    pruned = 0
    for loop_task in workflow.get_tasks(state=TaskState.STARTED | TaskState.COMPLETED):
        if isinstance(loop_task.task_spec, StandardLoopTaskMixin):
            pruned += _prune(workflow, loop_task)
    return pruned


def _prune(workflow: BpmnWorkflow, loop_task: Task) -> int:
    instance_spec = loop_task.task_spec.task_spec
    finished = [
        child
        for child in loop_task.children
        if child.task_spec.name == instance_spec and child.has_state(TaskState.COMPLETED)
    ]
    finished.sort(key=lambda child: child.internal_data.get("iteration", 0))
    # The latest round stays: it may be its workflow's last_task, which the serializer refers to by id.
    removable = [child for child in finished[:-1] if child is not child.workflow.last_task]
    for child in removable:
        if child.id in workflow.subprocesses:
            workflow.delete_subprocess(child)
        child.workflow._remove_task(child.id)
    return len(removable)
