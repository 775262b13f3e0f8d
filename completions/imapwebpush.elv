
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
        &'imapwebpush;help;completions'= {
        }
        &'imapwebpush;help;help'= {
        }
    ]
    $completions[$command]
}
