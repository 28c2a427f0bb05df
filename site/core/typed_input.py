r"""Numbers as residents type them, read strictly. NFKC first: Chinese input methods type
full-width digits, letters and spaces (１２３), which become ASCII. Then only ASCII digits count:
Python's `\d`, int() and Decimal() also take Arabic-Indic and other Unicode digits, so the
fields here check the normalised text against ASCII patterns before converting it."""

import re
import unicodedata

from django import forms

ASCII_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


class NfkcRegexField(forms.RegexField):
    """A RegexField checked against the NFKC text: write the regex with [0-9], not \\d."""

    def to_python(self, value):
        return super().to_python(nfkc(value) if isinstance(value, str) else value)


class _AsciiNumber:
    def to_python(self, value):
        if isinstance(value, str):
            value = nfkc(value).strip()
            if value and not ASCII_NUMBER.fullmatch(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class DecimalField(_AsciiNumber, forms.DecimalField):
    pass


class IntegerField(_AsciiNumber, forms.IntegerField):
    pass
