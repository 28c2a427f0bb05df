"""core.csrf_secrets: CSRF secrets and masks from one draw of the system's random source, in
Django's alphabet and length, accepted by Django's own checks."""

from collections import Counter

from django.middleware import csrf
from django.test import Client, RequestFactory
from django.urls import reverse

from core.csrf_secrets import mask_cipher_secret, new_csrf_string


def test_django_draws_its_secrets_and_masks_them_here():
    assert csrf._get_new_csrf_string is new_csrf_string
    assert csrf._mask_cipher_secret is mask_cipher_secret


def test_masks_shift_each_character_as_djangos_do():
    """Django's own arithmetic, with the mask taken back out of the token."""
    chars = csrf.CSRF_ALLOWED_CHARS
    for secret in [new_csrf_string() for _ in range(200)] + [chars[:32], chars[-32:]]:
        token = mask_cipher_secret(secret)
        mask, cipher = token[:32], token[32:]
        assert cipher == "".join(
            chars[(chars.index(s) + chars.index(m)) % len(chars)]
            for s, m in zip(secret, mask, strict=True)
        )
        assert csrf._unmask_cipher_token(token) == secret


def test_secrets_have_djangos_alphabet_and_length_and_never_repeat():
    drawn = [new_csrf_string() for _ in range(2000)]
    assert len(set(drawn)) == len(drawn)
    for secret in drawn:
        assert len(secret) == csrf.CSRF_SECRET_LENGTH
        csrf._check_token_format(secret)  # raises InvalidTokenFormat otherwise
    # Every character of the alphabet comes up about equally (64,000 draws of 62 characters:
    # about 1,032 each; rejection sampling leaves no favoured character).
    counts = Counter("".join(drawn))
    assert set(counts) == set(csrf.CSRF_ALLOWED_CHARS)
    assert max(counts.values()) < 1.25 * min(counts.values())


def test_a_masked_token_is_accepted_by_djangos_middleware(db):
    request = RequestFactory().get("/")
    token = csrf.get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(token) == csrf.CSRF_TOKEN_LENGTH and token != secret
    assert csrf._unmask_cipher_token(token) == secret
    url = reverse("alerts_subscribe")
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = secret
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 400  # the form refused for what is missing: past CSRF
    refused = Client(enforce_csrf_checks=True)
    refused.cookies["csrftoken"] = new_csrf_string()
    assert refused.post(url, {"csrfmiddlewaretoken": token}).status_code == 403
