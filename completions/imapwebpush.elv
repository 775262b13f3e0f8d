
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
        &'imapwebpush;decode'= {
            cand --keys 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json)'
            cand --private-key 'The subscriber''s private key (base64url 32-byte scalar), instead of --keys'
            cand --auth 'The auth secret (base64url 16 bytes), with --private-key'
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
        &'imapwebpush;keys'= {
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
            cand generate 'Generate a P-256 keypair and auth secret into a file (mode 0600)'
            cand show 'Print the keys as a W3C PushSubscription JSON'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'imapwebpush;keys;generate'= {
            cand --out 'Where to write (default: $XDG_DATA_HOME/imapwebpush/keys.json)'
            cand -s 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --server 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --tls 'Override the URL''s scheme; "none" (plaintext) must be asked for by name'
            cand -u 'User to log in as'
            cand --user 'User to log in as'
            cand --password-command 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)'
            cand --ca-file 'Extra trust roots (PEM) besides the webpki roots; repeatable'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --force 'Replace an existing file'
            cand --insecure 'Skip certificate verification (a warning is printed)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'imapwebpush;keys;show'= {
            cand --keys 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json)'
            cand --endpoint 'The endpoint URL to put in the JSON (else null)'
            cand -s 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --server 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)'
            cand --tls 'Override the URL''s scheme; "none" (plaintext) must be asked for by name'
            cand -u 'User to log in as'
            cand --user 'User to log in as'
            cand --password-command 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)'
            cand --ca-file 'Extra trust roots (PEM) besides the webpki roots; repeatable'
            cand --color 'When to color human output (NO_COLOR is honoured)'
            cand --timeout 'Network timeout in seconds (connect, handshake, every read)'
            cand --qr 'Also draw the JSON as a terminal QR code'
            cand --force 'Read the file even if other users can read it'
            cand --insecure 'Skip certificate verification (a warning is printed)'
            cand --json 'Machine-readable output: one JSON document or one object per line'
            cand -v 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand --verbose 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
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
        &'imapwebpush;help'= {
            cand capability 'Show the server''s capabilities, WEBPUSH highlighted (logs in first when --user is set)'
            cand getvapid 'GETVAPID: show the server''s VAPID public key (§5.1)'
            cand webpush 'WEBPUSH: create or update a subscription, or delete it with --delete (§5.2)'
            cand ackwebpush 'ACKWEBPUSH: confirm a subscription with the token from its first push (§5.3)'
            cand lwebpush 'LWEBPUSH: list subscriptions (§5.4)'
            cand silwebpush 'SILWEBPUSH: silence a subscription for SECONDS (0 ends it), or for this session (§5.5)'
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
