"""Chinese and other numerals, both ways: reading 第十二条 / 第一○一条 / 第12条 typed by hand, and
rendering the numbers Word's automatic numbering shows (w:numFmt values of ECMA-376 17.18.59,
rendered as Word renders them per [MS-DOCX] 2.4)."""

DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
# Every character a Chinese number may be written with, for regular expressions.
CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SIMPLE = "〇一二三四五六七八九"  # digit by digit (ideographDigital)
_COUNTING = "零一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def parse_number(text: str) -> int | None:
    """12 for "十二", "一十二", "12", "１２"; 101 for "一百零一" and "一○一"; None if not a number."""
    text = text.translate(_FULL_WIDTH_DIGITS)
    if text.isascii():
        return int(text) if text.isdigit() else None
    if any(char not in DIGITS and char not in UNITS for char in text):
        return None
    if not any(char in UNITS for char in text):  # written digit by digit: 一○一
        value = 0
        for char in text:
            value = value * 10 + DIGITS[char]
        return value
    total = current = 0
    for char in text:
        if char in DIGITS:
            current = DIGITS[char]
        else:
            total += (current or 1) * UNITS[char]
            current = 0
    return total + current


def digits_to_ascii(text: str) -> str:
    return text.translate(_FULL_WIDTH_DIGITS)


def format_number(value: int, num_fmt: str) -> str:
    """How Word shows `value` in the numbering format `num_fmt`; unknown formats as decimals."""
    formatter = _FORMATTERS.get(num_fmt)
    if formatter is None or value < 1:
        return str(value)
    return formatter(value)


def _counting(
    value: int, digits: str = _COUNTING, units: str = "十百千", legal: bool = False
) -> str:
    """一百零五, 二十; 十一 rather than 一十一 (legal: 壹拾壹). Values of 10,000 and over fall back
    to digit by digit, which no document numbers that far needs."""
    if value >= 10_000:
        return _digit_by_digit(value)
    parts: list[str] = []
    pending_zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = value // power % 10
        if digit == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append(digits[0])
            pending_zero = False
        if not (power == 10 and digit == 1 and not parts and not legal):
            parts.append(digits[digit])
        parts.append(unit)
    return "".join(parts)


def _digit_by_digit(value: int, digits: str = _SIMPLE) -> str:
    return "".join(digits[int(char)] for char in str(value))


def _chinese_counting(value: int) -> str:
    """Word's chineseCounting: 一 … 九十九 with 十, then digit by digit with ○ (100 → 一○○)."""
    if value < 100:
        return _counting(value)
    return _digit_by_digit(value, "○一二三四五六七八九")


def _letters(value: int, alphabet: str) -> str:
    """Word repeats the letter: 27 → AA, 28 → BB."""
    return alphabet[(value - 1) % 26] * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    parts = []
    for number, letters in _ROMAN:
        count, value = divmod(value, number)
        parts.append(letters * count)
    return "".join(parts)


def _cycle(symbols: str):
    return lambda value: symbols[(value - 1) % len(symbols)]


def _enclosed(first: int, last: int):
    """①…⑳ and similar runs of code points; beyond the run, plain digits."""
    return lambda value: chr(first + value - 1) if value <= last - first + 1 else str(value)


_FORMATTERS = {
    "decimal": str,
    "decimalZero": lambda value: f"{value:02d}",
    "decimalFullWidth": lambda value: str(value).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    ),
    "upperRoman": _roman,
    "lowerRoman": lambda value: _roman(value).lower(),
    "upperLetter": lambda value: _letters(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "lowerLetter": lambda value: _letters(value, "abcdefghijklmnopqrstuvwxyz"),
    "chineseCounting": _chinese_counting,
    "chineseCountingThousand": _counting,
    "taiwaneseCounting": _counting,
    "taiwaneseCountingThousand": _counting,
    "japaneseCounting": _counting,
    "chineseLegalSimplified": lambda value: _counting(value, _LEGAL, "拾佰仟", legal=True),
    "ideographDigital": _digit_by_digit,
    "taiwaneseDigital": _digit_by_digit,
    "ideographTraditional": _cycle("甲乙丙丁戊己庚辛壬癸"),
    "ideographZodiac": _cycle("子丑寅卯辰巳午未申酉戌亥"),
    "decimalEnclosedCircle": _enclosed(0x2460, 0x2473),
    "decimalEnclosedCircleChinese": _enclosed(0x2460, 0x2473),
    "decimalEnclosedParen": _enclosed(0x2474, 0x2487),
    "decimalEnclosedFullstop": _enclosed(0x2488, 0x249B),
    "none": lambda value: "",
}
