"""The curl command-line options Sluice knows, by what they take.

Only options that change the request are acted on; the rest are listed so their argument is skipped
rather than mistaken for the URL. `option_pairs` reads the words as curl does: `-sSLXPOST`, `--data x`.
"""

from __future__ import annotations

SHORT_ALIASES = {
    "X": "--request", "H": "--header", "d": "--data", "u": "--user", "G": "--get", "b": "--cookie",
    "A": "--user-agent", "e": "--referer", "k": "--insecure", "N": "--no-buffer", "L": "--location",
    "I": "--head", "m": "--max-time", "F": "--form", "T": "--upload-file", "o": "--output", "x": "--proxy",
    "w": "--write-out", "c": "--cookie-jar", "D": "--dump-header", "E": "--cert", "r": "--range",
    "K": "--config", "C": "--continue-at", "U": "--proxy-user", "y": "--speed-time", "Y": "--speed-limit",
    "z": "--time-cond", "t": "--telnet-option", "P": "--ftp-port", "Q": "--quote",
    "s": "--silent", "S": "--show-error", "v": "--verbose", "i": "--include", "f": "--fail", "g": "--globoff",
    "O": "--remote-name", "J": "--remote-header-name", "j": "--junk-session-cookies", "l": "--list-only",
    "n": "--netrc", "p": "--proxytunnel", "q": "--disable", "R": "--remote-time", "Z": "--parallel",
    "#": "--progress-bar", "0": "--http1.0", "1": "--tlsv1", "2": "--sslv2", "3": "--sslv3", "4": "--ipv4",
    "6": "--ipv6", "M": "--manual", "V": "--version", "h": "--help", "a": "--append", "B": "--use-ascii",
}

TAKES_VALUE = frozenset(
    """
    --request --header --data --data-ascii --data-binary --data-raw --data-urlencode --json --user --cookie
    --user-agent --referer --max-time --connect-timeout --url --url-query --form --form-string --upload-file
    --output --proxy --write-out --cookie-jar --dump-header --cert --range --config --continue-at --proxy-user
    --speed-time --speed-limit --time-cond --telnet-option --ftp-port --quote --oauth2-bearer --abstract-unix-socket
    --alt-svc --aws-sigv4 --cacert --capath --cert-type --ciphers --connect-to --create-file-mode --crlfile
    --curves --delegation --dns-interface --dns-ipv4-addr --dns-ipv6-addr --dns-servers --doh-url --egd-file
    --engine --etag-compare --etag-save --expect100-timeout --ftp-account --ftp-alternative-to-user --ftp-method
    --ftp-ssl-ccc-mode --happy-eyeballs-timeout-ms --haproxy-clientip --hostpubmd5 --hostpubsha256 --hsts
    --interface --ip-tos --ipfs-gateway --keepalive-time --key --key-type --krb --libcurl --limit-rate
    --local-port --login-options --mail-auth --mail-from --mail-rcpt --max-filesize --max-redirs --netrc-file
    --noproxy --output-dir --parallel-max --pass --pinnedpubkey --preproxy --proto --proto-default --proto-redir
    --proxy-cacert --proxy-capath --proxy-cert --proxy-cert-type --proxy-ciphers --proxy-crlfile --proxy-header
    --proxy-key --proxy-key-type --proxy-pass --proxy-pinnedpubkey --proxy-service-name --proxy-tls13-ciphers
    --proxy-tlsauthtype --proxy-tlspassword --proxy-tlsuser --proxy1.0 --pubkey --random-file --rate
    --request-target --resolve --retry --retry-delay --retry-max-time --sasl-authzid --service-name --socks4
    --socks4a --socks5 --socks5-gssapi-service --socks5-hostname --stderr --tls-max --tls13-ciphers
    --tlsauthtype --tlspassword --tlsuser --trace --trace-ascii --trace-config --unix-socket --variable
    --max-time --ech
    """.split()
)

NO_EFFECT_ON_REQUEST = frozenset(
    """
    --silent --show-error --verbose --include --fail --fail-with-body --globoff --remote-name
    --remote-header-name --progress-bar --no-progress-meter --ipv4 --ipv6 --output --write-out --dump-header
    --stderr --trace --trace-ascii --trace-config --libcurl --output-dir --create-dirs --create-file-mode
    --no-buffer --tcp-nodelay --tcp-fastopen --raw --styled-output --no-styled-output --retry --retry-delay
    --retry-max-time --retry-all-errors --retry-connrefused --limit-rate --keepalive-time --no-keepalive
    --parallel --parallel-max --parallel-immediate --remote-time --remote-name-all --xattr --http1.1
    --path-as-is --no-sessionid --no-alpn --no-npn --max-redirs --disable
    """.split()
)


def _expand_short(word: str, words: list[str], index: int) -> tuple[list[tuple[str, str | None]], int]:
    """`-sSLXPOST` → [("--silent", None), ("--show-error", None), ("--location", None), ("--request", "POST")]."""
    found: list[tuple[str, str | None]] = []
    position = 1
    while position < len(word):
        letter = word[position]
        name = SHORT_ALIASES.get(letter, f"-{letter}")
        if name in TAKES_VALUE:
            rest = word[position + 1 :]
            if rest:
                found.append((name, rest))
            elif index < len(words):
                found.append((name, words[index]))
                index += 1
            else:
                found.append((name, None))
            return found, index
        found.append((name, None))
        position += 1
    return found, index


def option_pairs(words: list[str]) -> list[tuple[str, str | None]]:
    """(option, value) pairs in order; a bare URL comes as ("--url", value)."""
    pairs: list[tuple[str, str | None]] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word.startswith("--") and len(word) > 2:
            if word in TAKES_VALUE:
                pairs.append((word, words[index] if index < len(words) else None))
                index += 1
            else:
                pairs.append((word, None))
        elif word.startswith("-") and len(word) > 1:
            expanded, index = _expand_short(word, words, index)
            pairs.extend(expanded)
        else:
            pairs.append(("--url", word))
    return pairs
