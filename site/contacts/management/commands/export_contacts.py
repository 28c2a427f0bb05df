import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from contacts.directory_csv import export_directory


class Command(BaseCommand):
    help = "把小区名录导出为 CSV（UTF-8，带 BOM，可直接用 Excel 打开）。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, nargs="?", help="输出文件；省略时写到标准输出")

    def handle(self, *args, file: Path | None = None, **options):
        data = export_directory()
        if file is None:
            sys.stdout.buffer.write(data)
        else:
            file.write_bytes(data)
            self.stderr.write(f"已导出到 {file}")
