"""The task the worker (`manage.py db_worker`) runs for every background job."""

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from .services import job_run

    return job_run(job_id).status
