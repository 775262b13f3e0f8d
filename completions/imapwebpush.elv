
use builtin;
use str;

set edit:completion:arg-completer[imapwebpush] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'imapwebpush'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'imapwebpush'= {
            cand -s 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --server 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --tls 'Override the URL''s scheme; "none" (plaintext) must be asked for by name'
            cand -u 'User to log in as'
            cand --user 'User to log in as'
            cand --password-command 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)'
            cand --ca-file 'Extra trust roots (PEM) besides the webpki roots; repeatable'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --insecure 'Skip certificate verification (a warning is printed)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand capability 'Show the server''s capabilities, WEBPUSH highlighted (logs in first when --user is set)'
            cand getvapid 'GETVAPID: show the server''s VAPID public key (§5.1)'
            cand webpush 'WEBPUSH: create or update a subscription, or delete it with --delete (§5.2)'
            cand ackwebpush 'ACKWEBPUSH: confirm a subscription with the token from its first push (§5.3)'
            cand lwebpush 'LWEBPUSH: list subscriptions (§5.4)'
            cand silwebpush 'SILWEBPUSH: silence a subscription for SECONDS (0 ends it), or for this session (§5.5)'
            cand subscribe 'The whole flow: subscribe with a local endpoint, acknowledge, then stream notifications'
            cand listen 'The push endpoint alone (no IMAP): receive, verify, decrypt and show pushes'
            cand check 'Conformance suite: run the catalogue of checks against a server (exit 1 when a MUST fails)'
            cand repl 'An interactive session over one connection: the commands above, select, append, raw…, pushes printed as they arrive'
            cand serve 'A reference IMAP WEBPUSH server, in memory, that sends real pushes'
            cand demo 'Start serve and an https endpoint on loopback, subscribe, deliver a mail, expunge it: the protocol in one run'
            cand decode 'Decrypt captured push payloads and explain them (files, or stdin with "-" or nothing)'
            cand keys 'Make or show the local keypair and auth secret'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'imapwebpush;capability'= {
            cand -s 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --server 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --tls 'Override the URL''s scheme; "none" (plaintext) must be asked for by name'
            cand -u 'User to log in as'
            cand --user 'User to log in as'
            cand --password-command 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)'
            cand --ca-file 'Extra trust roots (PEM) besides the webpki roots; repeatable'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --insecure 'Skip certificate verification (a warning is printed)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;getvapid'= {
            cand -s 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --server 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --tls 'Override the URL''s scheme; "none" (plaintext) must be asked for by name'
            cand -u 'User to log in as'
            cand --user 'User to log in as'
            cand --password-command 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)'
            cand --ca-file 'Extra trust roots (PEM) besides the webpki roots; repeatable'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --qr 'Also draw the key as a QR code'
            cand --insecure 'Skip certificate verification (a warning is printed)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;webpush'= {
            cand -s 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --server 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --tls 'Override the URL''s scheme; "none" (plaintext) must be asked for by name'
            cand -u 'User to log in as'
            cand --user 'User to log in as'
            cand --password-command 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)'
            cand --ca-file 'Extra trust roots (PEM) besides the webpki roots; repeatable'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --delete 'Delete the subscription (sends WEBPUSH <ID> NIL)'
            cand --raw 'Send the arguments without checking them (to test a server''s BAD handling)'
            cand --insecure 'Skip certificate verification (a warning is printed)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;ackwebpush'= {
            cand -s 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --server 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --tls 'Override the URL''s scheme; "none" (plaintext) must be asked for by name'
            cand -u 'User to log in as'
            cand --user 'User to log in as'
            cand --password-command 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)'
            cand --ca-file 'Extra trust roots (PEM) besides the webpki roots; repeatable'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --raw 'Send the arguments without checking them (to test a server''s BAD handling)'
            cand --insecure 'Skip certificate verification (a warning is printed)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;lwebpush'= {
            cand -s 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --server 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --tls 'Override the URL''s scheme; "none" (plaintext) must be asked for by name'
            cand -u 'User to log in as'
            cand --user 'User to log in as'
            cand --password-command 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)'
            cand --ca-file 'Extra trust roots (PEM) besides the webpki roots; repeatable'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --raw 'Send the arguments without checking them (to test a server''s BAD handling)'
            cand --insecure 'Skip certificate verification (a warning is printed)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;silwebpush'= {
            cand -s 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --server 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --tls 'Override the URL''s scheme; "none" (plaintext) must be asked for by name'
            cand -u 'User to log in as'
            cand --user 'User to log in as'
            cand --password-command 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)'
            cand --ca-file 'Extra trust roots (PEM) besides the webpki roots; repeatable'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --raw 'Send the arguments without checking them (to test a server''s BAD handling)'
            cand --insecure 'Skip certificate verification (a warning is printed)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;subscribe'= {
            cand --id 'Subscription ID (default: the keys file''s, else a new UUID)'
            cand --keys 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json, created mode 0600 if missing)'
            cand --listen 'Address for the endpoint to listen on'
            cand --public-url 'The URL base given out instead of the listen address (e.g. a tunnel)'
            cand --tls-cert 'Serve https with this certificate chain (with --tls-key)'
            cand --tls-key 'The private key for --tls-cert'
            cand --count 'Exit after N pushes (for subscribe: after the ACKWEBPUSH push, which does not count)'
            cand --wait 'Seconds to wait for the push carrying the ACKWEBPUSH token'
            cand --enable 'ENABLE this capability first (CONDSTORE, QRESYNC, UTF8=ACCEPT, IMAP4rev2); repeatable'
            cand -s 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --server 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --tls 'Override the URL''s scheme; "none" (plaintext) must be asked for by name'
            cand -u 'User to log in as'
            cand --user 'User to log in as'
            cand --password-command 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)'
            cand --ca-file 'Extra trust roots (PEM) besides the webpki roots; repeatable'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --tls-self-signed 'Serve https with a certificate from a throwaway CA made now (its CA file''s path is printed); on loopback the local CA is the default'
            cand --http 'Serve plain http, even on loopback (the draft requires https: only for servers that allow http endpoints)'
            cand --no-ack 'Do not send ACKWEBPUSH (to see what a server does with an unconfirmed subscription)'
            cand --unsubscribe-on-exit 'Delete the subscription (WEBPUSH <ID> NIL) when done or interrupted'
            cand --insecure 'Skip certificate verification (a warning is printed)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;listen'= {
            cand --keys 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json, created mode 0600 if missing)'
            cand --listen 'Address for the endpoint to listen on'
            cand --public-url 'The URL base given out instead of the listen address (e.g. a tunnel)'
            cand --tls-cert 'Serve https with this certificate chain (with --tls-key)'
            cand --tls-key 'The private key for --tls-cert'
            cand --count 'Exit after N pushes (for subscribe: after the ACKWEBPUSH push, which does not count)'
            cand --vapid 'The server''s VAPID key (base64url, uncompressed P-256) that pushes must be signed with'
            cand --reply 'Answer pushes with this status (and Retry-After seconds) instead of 201, e.g. 410 or 429:120'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --tls-self-signed 'Serve https with a certificate from a throwaway CA made now (its CA file''s path is printed); on loopback the local CA is the default'
            cand --http 'Serve plain http, even on loopback (the draft requires https: only for servers that allow http endpoints)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;check'= {
            cand --keys 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json, created mode 0600 if missing)'
            cand --listen 'Address for the endpoint to listen on'
            cand --public-url 'The URL base given out instead of the listen address (e.g. a tunnel)'
            cand --tls-cert 'Serve https with this certificate chain (with --tls-key)'
            cand --tls-key 'The private key for --tls-cert'
            cand --only 'Run only these checks: IDs or globs, comma-separated or repeated (e.g. "5.2/*")'
            cand --skip 'Leave out these checks: IDs or globs, comma-separated or repeated'
            cand --retry-window 'Seconds to watch for a retry that should wait 5 minutes (after 429 without Retry-After, or 5xx)'
            cand --token-lifetime 'Seconds the server''s tokens live (§6.4 says 600): with --include-slow, 6.4/token-expires waits that long and 10 s more, then expects NO (less than the server''s lifetime fails a conforming server)'
            cand --format 'Report format (--json is --format json)'
            cand --output 'Write the report to FILE instead of stdout'
            cand --mailbox 'Mailbox to append test messages to (default: imapwebpush-check, created and deleted)'
            cand -s 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --server 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --tls 'Override the URL''s scheme; "none" (plaintext) must be asked for by name'
            cand -u 'User to log in as'
            cand --user 'User to log in as'
            cand --password-command 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)'
            cand --ca-file 'Extra trust roots (PEM) besides the webpki roots; repeatable'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --tls-self-signed 'Serve https with a certificate from a throwaway CA made now (its CA file''s path is printed); on loopback the local CA is the default'
            cand --http 'Serve plain http, even on loopback (the draft requires https: only for servers that allow http endpoints)'
            cand --list 'List the checks (ID, level, title) and exit; needs no server'
            cand --strict 'SHOULD checks that fail make the run fail (exit 1)'
            cand --include-slow 'Also run the checks that wait minutes (token lifetime, 5-minute retries)'
            cand --insecure 'Skip certificate verification (a warning is printed)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;repl'= {
            cand --keys 'Keys file for listen, subscribe and keys (default: $XDG_DATA_HOME/imapwebpush/keys.json)'
            cand -s 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --server 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --tls 'Override the URL''s scheme; "none" (plaintext) must be asked for by name'
            cand -u 'User to log in as'
            cand --user 'User to log in as'
            cand --password-command 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)'
            cand --ca-file 'Extra trust roots (PEM) besides the webpki roots; repeatable'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --no-history 'Do not read or write the history file ($XDG_DATA_HOME/imapwebpush/history)'
            cand --insecure 'Skip certificate verification (a warning is printed)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;serve'= {
            cand --listen 'Plaintext listener, STARTTLS offered'
            cand --tls-listen 'Also listen with implicit TLS here'
            cand --tls-cert 'Certificate chain for TLS (with --tls-key); default: generated'
            cand --tls-key 'Private key for --tls-cert'
            cand --cert-out 'Also write the CA certificate here, for other clients (created new, never replaced)'
            cand --account 'An account as NAME:PASS; repeatable (default demo:demo)'
            cand --admin 'An account that may run XROTATEVAPID; repeatable (default: the first account)'
            cand --vapid-key 'VAPID key file (JSON, mode 0600), created if missing; default: a new key each start'
            cand --vapid-subject 'The VAPID JWT''s sub claim'
            cand --push-ca 'Extra trust roots (PEM) for push endpoints besides the webpki roots; repeatable'
            cand --retry-delay 'Seconds to wait after a 5xx, or a 429 without Retry-After (draft §7.4: 5 minutes)'
            cand --max-literal 'Largest literal accepted, in bytes (APPEND)'
            cand --max-subscriptions 'Subscriptions per account; WEBPUSH beyond it is answered NO'
            cand --max-connections 'Connections served at once; more are greeted with BYE and closed'
            cand --max-account-bytes 'Message bytes per account, all mailboxes together; APPEND beyond it is answered NO [OVERQUOTA]'
            cand --fault 'Break one rule of the draft on purpose; repeatable'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --allow-http-endpoints 'Accept http:// endpoints (loopback testing only; the draft requires https)'
            cand --allow-plaintext-login 'Allow LOGIN and AUTHENTICATE without TLS (loopback testing only)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;demo'= {
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;decode'= {
            cand --keys 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json)'
            cand --private-key 'The subscriber''s private key (base64url 32-byte scalar), instead of --keys'
            cand --auth 'The auth secret (base64url 16 bytes), with --private-key'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;keys'= {
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand generate 'Generate a P-256 keypair and auth secret into a file (mode 0600)'
            cand show 'Print the keys as a W3C PushSubscription JSON'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'imapwebpush;keys;generate'= {
            cand --out 'Where to write (default: $XDG_DATA_HOME/imapwebpush/keys.json)'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --force 'Replace an existing file'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;keys;show'= {
            cand --keys 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json)'
            cand --endpoint 'The endpoint URL to put in the JSON (else null)'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --qr 'Also draw the JSON as a terminal QR code'
            cand --force 'Read the file even if other users can read it'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;keys;help'= {
            cand generate 'Generate a P-256 keypair and auth secret into a file (mode 0600)'
            cand show 'Print the keys as a W3C PushSubscription JSON'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'imapwebpush;keys;help;generate'= {
        }
        &'imapwebpush;keys;help;show'= {
        }
        &'imapwebpush;keys;help;help'= {
        }
        &'imapwebpush;completions'= {
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;help'= {
            cand capability 'Show the server''s capabilities, WEBPUSH highlighted (logs in first when --user is set)'
            cand getvapid 'GETVAPID: show the server''s VAPID public key (§5.1)'
            cand webpush 'WEBPUSH: create or update a subscription, or delete it with --delete (§5.2)'
            cand ackwebpush 'ACKWEBPUSH: confirm a subscription with the token from its first push (§5.3)'
            cand lwebpush 'LWEBPUSH: list subscriptions (§5.4)'
            cand silwebpush 'SILWEBPUSH: silence a subscription for SECONDS (0 ends it), or for this session (§5.5)'
            cand subscribe 'The whole flow: subscribe with a local endpoint, acknowledge, then stream notifications'
            cand listen 'The push endpoint alone (no IMAP): receive, verify, decrypt and show pushes'
            cand check 'Conformance suite: run the catalogue of checks against a server (exit 1 when a MUST fails)'
            cand repl 'An interactive session over one connection: the commands above, select, append, raw…, pushes printed as they arrive'
            cand serve 'A reference IMAP WEBPUSH server, in memory, that sends real pushes'
            cand demo 'Start serve and an https endpoint on loopback, subscribe, deliver a mail, expunge it: the protocol in one run'
            cand decode 'Decrypt captured push payloads and explain them (files, or stdin with "-" or nothing)'
            cand keys 'Make or show the local keypair and auth secret'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'imapwebpush;help;capability'= {
        }
        &'imapwebpush;help;getvapid'= {
        }
        &'imapwebpush;help;webpush'= {
        }
        &'imapwebpush;help;ackwebpush'= {
        }
        &'imapwebpush;help;lwebpush'= {
        }
        &'imapwebpush;help;silwebpush'= {
        }
        &'imapwebpush;help;subscribe'= {
        }
        &'imapwebpush;help;listen'= {
        }
        &'imapwebpush;help;check'= {
        }
        &'imapwebpush;help;repl'= {
        }
        &'imapwebpush;help;serve'= {
        }
        &'imapwebpush;help;demo'= {
        }
        &'imapwebpush;help;decode'= {
        }
        &'imapwebpush;help;keys'= {
            cand generate 'Generate a P-256 keypair and auth secret into a file (mode 0600)'
            cand show 'Print the keys as a W3C PushSubscription JSON'
        }
        &'imapwebpush;help;keys;generate'= {
        }
        &'imapwebpush;help;keys;show'= {
        }
        &'imapwebpush;help;completions'= {
        }
        &'imapwebpush;help;help'= {
        }
    ]
    $completions[$command]
}
