"""Wagtail's image and document admin checks permissions per collection, not the model
permissions 0002 gave: grant 编辑 and 审核 the same rights on the root collection."""

from django.db import migrations

GROUP_RIGHTS = {
    "编辑": [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ],
    "审核": [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "delete_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "delete_document"),
        ("wagtaildocs", "choose_document"),
    ],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.get(depth=1)
    for name, rights in GROUP_RIGHTS.items():
        group = Group.objects.get(name=name)
        for app_label, codename in rights:
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


def revoke(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupCollectionPermission.objects.filter(group__name__in=GROUP_RIGHTS).delete()


class Migration(migrations.Migration):
    dependencies = [("home", "0002_editorial_groups_and_workflow")]

    operations = [migrations.RunPython(grant, revoke)]
