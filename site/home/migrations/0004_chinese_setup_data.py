"""The setup data Wagtail's own migrations leave in English, in Chinese (issue 14).

- The page tree's root (depth 1) is titled "Root" and the root collection is named "Root": the
  admin shows "浏览: Root" in the page explorer and "Root" in the collection fields. Both become
  根目录 (title and draft_title; the slug "root" and the path stay as they are, nothing links to
  them by name). Only the English name is replaced, so a name an administrator chose is kept.

- Wagtail creates the groups "Editors" and "Moderators" and, from their publish permission, the
  task and workflow "Moderators approval". This project's staff work in its own groups 编辑 and
  审核 and its workflow 内容审核 (0002, which also moved the root page from "Moderators approval"
  to 内容审核); nothing in the project refers to the English ones (the demo loader, the tests
  and the other apps' migrations name only 编辑 / 审核). Renamed into Chinese they would stand in
  the group list as a second 编辑 and a second 审核 with other rights, and an administrator
  adding a new colleague could put them in the wrong one; so they are deleted:
  - the workflow "Moderators approval" and its task, when no page, snippet model or workflow
    run (WorkflowState / TaskState) uses them and the task is in no other workflow;
  - the groups "Editors" and "Moderators", when they hold no users, no approval task that stays
    names them and nothing protects them (a service desk's group).
  Whatever is in use is kept, renamed into Chinese (…（Wagtail 默认）), so no user loses a right
  and no moderation in progress loses its workflow.

Backwards restores the English names, and recreates what was deleted as Wagtail's migrations
created it: the groups with their page permissions on the root page, collection permissions on
the root collection and model permissions, and the unassigned "Moderators approval" workflow.
"""

from django.db import migrations
from django.db.models import ProtectedError

ROOT_TITLE = ("Root", "根目录")
ROOT_COLLECTION = ("Root", "根目录")
GROUPS = {"Editors": "编辑（Wagtail 默认）", "Moderators": "审核（Wagtail 默认）"}
WORKFLOW = ("Moderators approval", "审核流程（Wagtail 默认）")
TASK = ("Moderators approval", "审核组审批（Wagtail 默认）")

# What Wagtail's migrations give the two groups (wagtailcore 0002/0005, wagtailadmin 0001,
# wagtailimages / wagtaildocs initial data), for backwards.
MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "delete_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "delete_document"),
    ("wagtaildocs", "choose_document"),
]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
PAGE_PERMISSIONS = {
    "Editors": ["add_page", "change_page"],
    "Moderators": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}


def rename_roots(apps, old: int, new: int):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title=ROOT_TITLE[old]).update(title=ROOT_TITLE[new])
    Page.objects.filter(depth=1, draft_title=ROOT_TITLE[old]).update(draft_title=ROOT_TITLE[new])
    Collection.objects.filter(depth=1, name=ROOT_COLLECTION[old]).update(name=ROOT_COLLECTION[new])


def workflow_in_use(apps, workflow, task) -> bool:
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    if workflow is not None and (
        WorkflowPage.objects.filter(workflow=workflow).exists()
        or WorkflowContentType.objects.filter(workflow=workflow).exists()
        or WorkflowState.objects.filter(workflow=workflow).exists()
        or WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).exists()
    ):
        return True
    return task is not None and (
        TaskState.objects.filter(task=task).exists()
        or WorkflowTask.objects.filter(task=task).exclude(workflow=workflow).exists()
    )


def forwards(apps, schema_editor):
    rename_roots(apps, 0, 1)

    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    workflow = Workflow.objects.filter(name=WORKFLOW[0]).first()
    task = Task.objects.filter(name=TASK[0]).first()
    if workflow_in_use(apps, workflow, task):
        Workflow.objects.filter(name=WORKFLOW[0]).update(name=WORKFLOW[1])
        Task.objects.filter(name=TASK[0]).update(name=TASK[1])
    else:
        if task is not None:
            GroupApprovalTask.objects.filter(pk=task.pk).delete()  # and its Task row
            Task.objects.filter(pk=task.pk).delete()  # a task of another type
        if workflow is not None:
            workflow.delete()

    for english, chinese in GROUPS.items():
        group = Group.objects.filter(name=english).first()
        if group is None:
            continue
        in_use = group.user_set.exists() or GroupApprovalTask.objects.filter(groups=group).exists()
        if not in_use:
            try:
                group.delete()
                continue
            except ProtectedError:
                pass
        group.name = chinese
        group.save(update_fields=["name"])


def backwards(apps, schema_editor):
    rename_roots(apps, 1, 0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    for english, chinese in GROUPS.items():
        if (
            Group.objects.filter(name=chinese).update(name=english)
            or Group.objects.filter(name=english).exists()
        ):
            continue
        group = Group.objects.create(name=english)
        group.permissions.add(*(permission(*key) for key in MODEL_PERMISSIONS))
        for codename in PAGE_PERMISSIONS[english]:
            GroupPagePermission.objects.create(
                group=group, page=root_page, permission=permission("wagtailcore", codename)
            )
        for key in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.create(
                group=group, collection=root_collection, permission=permission(*key)
            )

    Task.objects.filter(name=TASK[1]).update(name=TASK[0])
    Workflow.objects.filter(name=WORKFLOW[1]).update(name=WORKFLOW[0])
    task = Task.objects.filter(name=TASK[0]).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name=TASK[0], content_type=content_type, active=True
        )
        task.groups.set([Group.objects.get(name="Moderators")])
        task = Task.objects.get(pk=task.pk)
    if not Workflow.objects.filter(name=WORKFLOW[0]).exists():
        workflow = Workflow.objects.create(name=WORKFLOW[0], active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_collection_permissions"),
        # Its desks' groups are protected from deletion; in the state, so deleting sees them.
        ("servicedesk", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
