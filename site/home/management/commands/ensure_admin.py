"""Create or reuse the local administrator account that `scripts/start` prints.

The first run creates the superuser with a random password and saves both in
`VAR_DIR/admin-credentials.txt` (mode 0600; `var/` is not in git). Later runs reuse them.
If the account exists but the file is gone, the password is reset and the file rewritten."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

CREDENTIALS_FILE = "admin-credentials.txt"


def read_credentials(path: Path) -> dict[str, str]:
    """`key=value` lines of the credentials file; empty if it does not exist."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    values = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and not key.lstrip().startswith("#"):
            values[key.strip()] = value.strip()
    return values


def write_credentials(path: Path, username: str, password: str) -> None:
    """Write the file readable by its owner only, replacing any old one atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(
            "# 本地后台管理员账号，由 manage.py ensure_admin 生成；请勿提交或外传。\n"
            "# Local admin account written by `manage.py ensure_admin`; keep it private.\n"
            f"username={username}\n"
            f"password={password}\n"
        )
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


class Command(BaseCommand):
    help = (
        "创建或沿用本地后台超级管理员账号：首次运行生成随机密码并保存到 "
        "VAR_DIR/admin-credentials.txt（仅本人可读），之后沿用；最后打印登录地址、用户名和密码。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="管理员用户名（默认 admin）")
        parser.add_argument(
            "--base-url",
            default="",
            help="打印登录地址所用的网站地址，如 http://127.0.0.1:8000（默认取 WAGTAILADMIN_BASE_URL）",
        )
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="生成新的随机密码并重写账号文件",
        )

    def handle(self, *args, username: str, base_url: str, reset_password: bool, **options):
        path = Path(settings.VAR_DIR) / CREDENTIALS_FILE
        stored = read_credentials(path)
        saved_password = stored.get("password") if stored.get("username") == username else None

        user_model = get_user_model()
        with transaction.atomic():
            user = user_model._default_manager.filter(
                **{user_model.USERNAME_FIELD: username}
            ).first()
            if user is None:
                password = saved_password or secrets.token_urlsafe(18)
                user_model._default_manager.create_superuser(
                    **{user_model.USERNAME_FIELD: username}, email="", password=password
                )
                if saved_password:
                    self.stdout.write(f"数据库中没有账号 {username}，已按账号文件重新创建。")
                else:
                    self.stdout.write(self.style.SUCCESS(f"已创建超级管理员账号 {username}。"))
            else:
                promoted = self._ensure_superuser(user)
                if promoted:
                    self.stdout.write(
                        self.style.WARNING(f"账号 {username} 已设为启用的超级管理员。")
                    )
                if reset_password or not saved_password:
                    password = secrets.token_urlsafe(18)
                    user.set_password(password)
                    user.save()
                    if reset_password:
                        self.stdout.write(self.style.SUCCESS(f"已为账号 {username} 重设密码。"))
                    else:
                        self.stdout.write(
                            self.style.WARNING(
                                f"找不到账号文件 {path}，已为现有账号 {username} 重设密码。"
                            )
                        )
                elif user.check_password(saved_password):
                    password = saved_password
                else:
                    self.stdout.write(
                        self.style.WARNING(
                            f"账号文件中的密码与数据库不符（可能已在后台改过密码），未做改动。\n"
                            f"如需重设：python site/manage.py ensure_admin --reset-password\n"
                            f"后台登录地址：{self._login_url(base_url)}\n"
                            f"用户名：{username}"
                        )
                    )
                    return

        write_credentials(path, username, password)  # also restores mode 0600
        self.stdout.write(
            f"后台登录地址：{self._login_url(base_url)}\n"
            f"用户名：{username}\n"
            f"密码：{password}\n"
            f"（账号保存在 {path}，仅本人可读）"
        )

    @staticmethod
    def _ensure_superuser(user) -> bool:
        changed = False
        for flag in ("is_active", "is_staff", "is_superuser"):
            if not getattr(user, flag, True):
                setattr(user, flag, True)
                changed = True
        if changed:
            user.save()
        return changed

    @staticmethod
    def _login_url(base_url: str) -> str:
        base = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
        return base + reverse("wagtailadmin_login")
