"""Dates the tests pin."""
import datetime as dt

AFTER_FISCAL_YEAR_2566 = dt.date(2023, 10, 15)  # 15 ต.ค. 2566: fiscal year 2566 ended on 30 ก.ย. 2566
