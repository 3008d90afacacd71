"""Schemathesis hooks for the services' OpenAPI documents (loaded through SCHEMATHESIS_HOOKS).

`format: uscc` is a unified social credit code (GB 32100-2015): its 18th character is a check
character over the first 17, which a pattern cannot state. Valid codes are generated here with the
same algorithm as libs/contracts/src/uscc.ts, so that positive tests send codes the servers accept;
negative tests still break the pattern and the length.
"""

from hypothesis import strategies as st

import schemathesis

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


uscc = st.text(alphabet=ALPHABET, min_size=17, max_size=17).map(lambda first17: first17 + check_character(first17))

schemathesis.openapi.format("uscc", uscc)

# `format: uri` (the webhook URL: its pattern says http(s)://, the service parses it): absolute http(s) URLs with
# a host name the validator accepts, instead of any RFC 3986 reference.
label = st.from_regex(r"\A[a-z][a-z0-9]{0,19}\Z")
host = st.lists(label, min_size=1, max_size=4).map(".".join)
path = st.from_regex(r"\A(/[a-z0-9_-]{1,12}){0,3}\Z")
uri = st.builds("{}://{}{}".format, st.sampled_from(["http", "https"]), host, path)

schemathesis.openapi.format("uri", uri)
