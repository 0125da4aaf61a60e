"""url_for_pk() gives what reverse() gives, under any script prefix."""

from django.urls import reverse, set_script_prefix

from goodword.core.urlcache import url_for_pk


def test_url_for_pk_equals_reverse_under_each_script_prefix():
    try:
        for prefix in ("/", "/goodword/", "/other/"):
            set_script_prefix(prefix)
            for name in ("references:detail", "opportunities:detail"):
                for pk in (1, 42, 10**12):
                    assert url_for_pk(name, pk) == reverse(name, args=[pk])
    finally:
        set_script_prefix("/")
