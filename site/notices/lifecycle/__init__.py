"""A notice's life: 预告 → 进行中 → 已恢复 (or 已取消), each change a dated update on an
append-only timeline (`transitions`), the 48-hour notice a planned outage owes residents
(`commitment_check`), and what a notice announces when it goes live or changes (`signals`)."""
