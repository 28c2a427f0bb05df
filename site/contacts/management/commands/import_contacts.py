from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contacts.directory_csv import DirectoryImportError, import_directory
from importers.directory_csv import DirectoryFileError


class Command(BaseCommand):
    help = "从 CSV 文件导入小区名录（按编号新增或更新；有错误行时整个文件不导入）。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV 文件路径（UTF-8 或 GBK 编码）")

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {file}：{exc.strerror}") from None
        try:
            report = import_directory(data)
        except DirectoryFileError as exc:
            raise CommandError(str(exc)) from None
        except DirectoryImportError as exc:
            raise CommandError(f"文件有错误，没有导入任何数据：\n{exc}") from None
        self.stdout.write(self.style.SUCCESS(report.summary()))
