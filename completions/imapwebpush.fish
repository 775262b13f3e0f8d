# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_imapwebpush_global_optspecs
    string join \n s/server= tls= u/user= password-command= ca-file= insecure json color= v/verbose timeout= h/help V/version
end

function __fish_imapwebpush_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_imapwebpush_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_imapwebpush_using_subcommand
    set -l cmd (__fish_imapwebpush_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -s s -l server -d 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)' -r
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -l tls -d 'Override the URL\'s scheme; "none" (plaintext) must be asked for by name' -r -f -a "implicit\t'TLS from the first byte (imaps://, port 993)'
starttls\t'Plain TCP upgraded with STARTTLS (imap://, port 143); refuses to go on if the server does not offer it'
none\t'Plaintext. Passwords cross the network in clear; only when asked by name'"
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -s u -l user -d 'User to log in as' -r
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -l password-command -d 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)' -r
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -l ca-file -d 'Extra trust roots (PEM) besides the webpki roots; repeatable' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -l insecure -d 'Skip certificate verification (a warning is printed)'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "capability" -d 'Show the server\'s capabilities, WEBPUSH highlighted (logs in first when --user is set)'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "getvapid" -d 'GETVAPID: show the server\'s VAPID public key (§5.1)'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "webpush" -d 'WEBPUSH: create or update a subscription, or delete it with --delete (§5.2)'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "ackwebpush" -d 'ACKWEBPUSH: confirm a subscription with the token from its first push (§5.3)'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "lwebpush" -d 'LWEBPUSH: list subscriptions (§5.4)'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "silwebpush" -d 'SILWEBPUSH: silence a subscription for SECONDS (0 ends it), or for this session (§5.5)'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "subscribe" -d 'The whole flow: subscribe with a local endpoint, acknowledge, then stream notifications'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "listen" -d 'The push endpoint alone (no IMAP): receive, verify, decrypt and show pushes'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "check" -d 'Conformance suite: run the catalogue of checks against a server (exit 1 when a MUST fails)'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "repl" -d 'An interactive session over one connection: the commands above, select, append, raw…, pushes printed as they arrive'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "serve" -d 'A reference IMAP WEBPUSH server, in memory, that sends real pushes'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "demo" -d 'Start serve and an https endpoint on loopback, subscribe, deliver a mail, expunge it: the protocol in one run'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "decode" -d 'Decrypt captured push payloads and explain them (files, or stdin with "-" or nothing)'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "keys" -d 'Make or show the local keypair and auth secret'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c imapwebpush -n "__fish_imapwebpush_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand capability" -s s -l server -d 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand capability" -l tls -d 'Override the URL\'s scheme; "none" (plaintext) must be asked for by name' -r -f -a "implicit\t'TLS from the first byte (imaps://, port 993)'
starttls\t'Plain TCP upgraded with STARTTLS (imap://, port 143); refuses to go on if the server does not offer it'
none\t'Plaintext. Passwords cross the network in clear; only when asked by name'"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand capability" -s u -l user -d 'User to log in as' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand capability" -l password-command -d 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand capability" -l ca-file -d 'Extra trust roots (PEM) besides the webpki roots; repeatable' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand capability" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand capability" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand capability" -l insecure -d 'Skip certificate verification (a warning is printed)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand capability" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand capability" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand capability" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand capability" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand getvapid" -s s -l server -d 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand getvapid" -l tls -d 'Override the URL\'s scheme; "none" (plaintext) must be asked for by name' -r -f -a "implicit\t'TLS from the first byte (imaps://, port 993)'
starttls\t'Plain TCP upgraded with STARTTLS (imap://, port 143); refuses to go on if the server does not offer it'
none\t'Plaintext. Passwords cross the network in clear; only when asked by name'"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand getvapid" -s u -l user -d 'User to log in as' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand getvapid" -l password-command -d 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand getvapid" -l ca-file -d 'Extra trust roots (PEM) besides the webpki roots; repeatable' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand getvapid" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand getvapid" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand getvapid" -l qr -d 'Also draw the key as a QR code'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand getvapid" -l insecure -d 'Skip certificate verification (a warning is printed)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand getvapid" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand getvapid" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand getvapid" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand getvapid" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand webpush" -s s -l server -d 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand webpush" -l tls -d 'Override the URL\'s scheme; "none" (plaintext) must be asked for by name' -r -f -a "implicit\t'TLS from the first byte (imaps://, port 993)'
starttls\t'Plain TCP upgraded with STARTTLS (imap://, port 143); refuses to go on if the server does not offer it'
none\t'Plaintext. Passwords cross the network in clear; only when asked by name'"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand webpush" -s u -l user -d 'User to log in as' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand webpush" -l password-command -d 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand webpush" -l ca-file -d 'Extra trust roots (PEM) besides the webpki roots; repeatable' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand webpush" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand webpush" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand webpush" -l delete -d 'Delete the subscription (sends WEBPUSH <ID> NIL)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand webpush" -l raw -d 'Send the arguments without checking them (to test a server\'s BAD handling)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand webpush" -l insecure -d 'Skip certificate verification (a warning is printed)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand webpush" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand webpush" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand webpush" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand webpush" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand ackwebpush" -s s -l server -d 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand ackwebpush" -l tls -d 'Override the URL\'s scheme; "none" (plaintext) must be asked for by name' -r -f -a "implicit\t'TLS from the first byte (imaps://, port 993)'
starttls\t'Plain TCP upgraded with STARTTLS (imap://, port 143); refuses to go on if the server does not offer it'
none\t'Plaintext. Passwords cross the network in clear; only when asked by name'"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand ackwebpush" -s u -l user -d 'User to log in as' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand ackwebpush" -l password-command -d 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand ackwebpush" -l ca-file -d 'Extra trust roots (PEM) besides the webpki roots; repeatable' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand ackwebpush" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand ackwebpush" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand ackwebpush" -l raw -d 'Send the arguments without checking them (to test a server\'s BAD handling)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand ackwebpush" -l insecure -d 'Skip certificate verification (a warning is printed)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand ackwebpush" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand ackwebpush" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand ackwebpush" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand ackwebpush" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand lwebpush" -s s -l server -d 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand lwebpush" -l tls -d 'Override the URL\'s scheme; "none" (plaintext) must be asked for by name' -r -f -a "implicit\t'TLS from the first byte (imaps://, port 993)'
starttls\t'Plain TCP upgraded with STARTTLS (imap://, port 143); refuses to go on if the server does not offer it'
none\t'Plaintext. Passwords cross the network in clear; only when asked by name'"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand lwebpush" -s u -l user -d 'User to log in as' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand lwebpush" -l password-command -d 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand lwebpush" -l ca-file -d 'Extra trust roots (PEM) besides the webpki roots; repeatable' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand lwebpush" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand lwebpush" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand lwebpush" -l raw -d 'Send the arguments without checking them (to test a server\'s BAD handling)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand lwebpush" -l insecure -d 'Skip certificate verification (a warning is printed)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand lwebpush" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand lwebpush" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand lwebpush" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand lwebpush" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand silwebpush" -s s -l server -d 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand silwebpush" -l tls -d 'Override the URL\'s scheme; "none" (plaintext) must be asked for by name' -r -f -a "implicit\t'TLS from the first byte (imaps://, port 993)'
starttls\t'Plain TCP upgraded with STARTTLS (imap://, port 143); refuses to go on if the server does not offer it'
none\t'Plaintext. Passwords cross the network in clear; only when asked by name'"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand silwebpush" -s u -l user -d 'User to log in as' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand silwebpush" -l password-command -d 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand silwebpush" -l ca-file -d 'Extra trust roots (PEM) besides the webpki roots; repeatable' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand silwebpush" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand silwebpush" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand silwebpush" -l raw -d 'Send the arguments without checking them (to test a server\'s BAD handling)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand silwebpush" -l insecure -d 'Skip certificate verification (a warning is printed)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand silwebpush" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand silwebpush" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand silwebpush" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand silwebpush" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l id -d 'Subscription ID (default: the keys file\'s, else a new UUID)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l keys -d 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json, created mode 0600 if missing)' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l listen -d 'Address for the endpoint to listen on' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l public-url -d 'The URL base given out instead of the listen address (e.g. a tunnel)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l tls-cert -d 'Serve https with this certificate chain (with --tls-key)' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l tls-key -d 'The private key for --tls-cert' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l count -d 'Exit after N pushes (for subscribe: after the ACKWEBPUSH push, which does not count)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l wait -d 'Seconds to wait for the push carrying the ACKWEBPUSH token' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l enable -d 'ENABLE this capability first (CONDSTORE, QRESYNC, UTF8=ACCEPT, IMAP4rev2); repeatable' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -s s -l server -d 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l tls -d 'Override the URL\'s scheme; "none" (plaintext) must be asked for by name' -r -f -a "implicit\t'TLS from the first byte (imaps://, port 993)'
starttls\t'Plain TCP upgraded with STARTTLS (imap://, port 143); refuses to go on if the server does not offer it'
none\t'Plaintext. Passwords cross the network in clear; only when asked by name'"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -s u -l user -d 'User to log in as' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l password-command -d 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l ca-file -d 'Extra trust roots (PEM) besides the webpki roots; repeatable' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l tls-self-signed -d 'Serve https with a certificate from a throwaway CA made now (its CA file\'s path is printed); on loopback the local CA is the default'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l http -d 'Serve plain http, even on loopback (the draft requires https: only for servers that allow http endpoints)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l no-ack -d 'Do not send ACKWEBPUSH (to see what a server does with an unconfirmed subscription)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l unsubscribe-on-exit -d 'Delete the subscription (WEBPUSH <ID> NIL) when done or interrupted'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l insecure -d 'Skip certificate verification (a warning is printed)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand subscribe" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -l keys -d 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json, created mode 0600 if missing)' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -l listen -d 'Address for the endpoint to listen on' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -l public-url -d 'The URL base given out instead of the listen address (e.g. a tunnel)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -l tls-cert -d 'Serve https with this certificate chain (with --tls-key)' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -l tls-key -d 'The private key for --tls-cert' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -l count -d 'Exit after N pushes (for subscribe: after the ACKWEBPUSH push, which does not count)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -l vapid -d 'The server\'s VAPID key (base64url, uncompressed P-256) that pushes must be signed with' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -l reply -d 'Answer pushes with this status (and Retry-After seconds) instead of 201, e.g. 410 or 429:120' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -l tls-self-signed -d 'Serve https with a certificate from a throwaway CA made now (its CA file\'s path is printed); on loopback the local CA is the default'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -l http -d 'Serve plain http, even on loopback (the draft requires https: only for servers that allow http endpoints)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -s h -l help -d 'Print help'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand listen" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l keys -d 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json, created mode 0600 if missing)' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l listen -d 'Address for the endpoint to listen on' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l public-url -d 'The URL base given out instead of the listen address (e.g. a tunnel)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l tls-cert -d 'Serve https with this certificate chain (with --tls-key)' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l tls-key -d 'The private key for --tls-cert' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l only -d 'Run only these checks: IDs or globs, comma-separated or repeated (e.g. "5.2/*")' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l skip -d 'Leave out these checks: IDs or globs, comma-separated or repeated' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l retry-window -d 'Seconds to watch for a retry that should wait 5 minutes (after 429 without Retry-After, or 5xx)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l token-lifetime -d 'Seconds the server\'s tokens live (§6.4 says 600): with --include-slow, 6.4/token-expires waits that long and 10 s more, then expects NO (less than the server\'s lifetime fails a conforming server)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l format -d 'Report format (--json is --format json)' -r -f -a "human\t''
json\t''
junit\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l output -d 'Write the report to FILE instead of stdout' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l mailbox -d 'Mailbox to append test messages to (default: imapwebpush-check, created and deleted)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -s s -l server -d 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l tls -d 'Override the URL\'s scheme; "none" (plaintext) must be asked for by name' -r -f -a "implicit\t'TLS from the first byte (imaps://, port 993)'
starttls\t'Plain TCP upgraded with STARTTLS (imap://, port 143); refuses to go on if the server does not offer it'
none\t'Plaintext. Passwords cross the network in clear; only when asked by name'"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -s u -l user -d 'User to log in as' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l password-command -d 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l ca-file -d 'Extra trust roots (PEM) besides the webpki roots; repeatable' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l tls-self-signed -d 'Serve https with a certificate from a throwaway CA made now (its CA file\'s path is printed); on loopback the local CA is the default'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l http -d 'Serve plain http, even on loopback (the draft requires https: only for servers that allow http endpoints)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l list -d 'List the checks (ID, level, title) and exit; needs no server'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l strict -d 'SHOULD checks that fail make the run fail (exit 1)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l include-slow -d 'Also run the checks that wait minutes (token lifetime, 5-minute retries)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l insecure -d 'Skip certificate verification (a warning is printed)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand check" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand repl" -l keys -d 'Keys file for listen, subscribe and keys (default: $XDG_DATA_HOME/imapwebpush/keys.json)' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand repl" -s s -l server -d 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand repl" -l tls -d 'Override the URL\'s scheme; "none" (plaintext) must be asked for by name' -r -f -a "implicit\t'TLS from the first byte (imaps://, port 993)'
starttls\t'Plain TCP upgraded with STARTTLS (imap://, port 143); refuses to go on if the server does not offer it'
none\t'Plaintext. Passwords cross the network in clear; only when asked by name'"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand repl" -s u -l user -d 'User to log in as' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand repl" -l password-command -d 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand repl" -l ca-file -d 'Extra trust roots (PEM) besides the webpki roots; repeatable' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand repl" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand repl" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand repl" -l no-history -d 'Do not read or write the history file ($XDG_DATA_HOME/imapwebpush/history)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand repl" -l insecure -d 'Skip certificate verification (a warning is printed)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand repl" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand repl" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand repl" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand repl" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l listen -d 'Plaintext listener, STARTTLS offered' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l tls-listen -d 'Also listen with implicit TLS here' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l tls-cert -d 'Certificate chain for TLS (with --tls-key); default: generated' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l tls-key -d 'Private key for --tls-cert' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l cert-out -d 'Also write the CA certificate here, for other clients (created new, never replaced)' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l account -d 'An account as NAME:PASS; repeatable (default demo:demo)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l admin -d 'An account that may run XROTATEVAPID; repeatable (default: the first account)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l vapid-key -d 'VAPID key file (JSON, mode 0600), created if missing; default: a new key each start' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l vapid-subject -d 'The VAPID JWT\'s sub claim' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l push-ca -d 'Extra trust roots (PEM) for push endpoints besides the webpki roots; repeatable' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l retry-delay -d 'Seconds to wait after a 5xx, or a 429 without Retry-After (draft §7.4: 5 minutes)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l max-literal -d 'Largest literal accepted, in bytes (APPEND)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l max-subscriptions -d 'Subscriptions per account; WEBPUSH beyond it is answered NO' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l max-connections -d 'Connections served at once; more are greeted with BYE and closed' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l max-account-bytes -d 'Message bytes per account, all mailboxes together; APPEND beyond it is answered NO [OVERQUOTA]' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l fault -d 'Break one rule of the draft on purpose; repeatable' -r -f -a "no-vapid-response\t'GETVAPID and WEBPUSH leave out the untagged VAPID response (§5.1, §5.2 MUST)'
no-webpush-response\t'WEBPUSH and ACKWEBPUSH leave out the untagged WEBPUSH response (§5.2 MUST)'
activate-without-ack\t'New and changed subscriptions are active before any ACKWEBPUSH (§5.2)'
skip-ack-push\t'No push carrying the ACKWEBPUSH token is sent (§5.2 MUST)'
wrong-urgency\t'Every push says `Urgency: very-low` whatever it holds (§7.2)'
oversize-push\t'New-mail pushes always carry ENVELOPE and BINARY, past 3993 bytes (§7.1 MUST NOT)'
no-select-before-fetch\t'Mailbox responses are pushed without the SELECT before them (§7.1 MUST)'
bad-jwt-aud\t'The VAPID JWT\'s `aud` is not the endpoint\'s origin (RFC 8292 §2)'
long-jwt-exp\t'The VAPID JWT\'s `exp` is 48 hours ahead, past the 24-hour limit (RFC 8292 §2)'
no-jwt-sub\t'The VAPID JWT has no `sub` claim (RFC 8292 §2.1 SHOULD)'
ignore-silence\t'Silenced subscriptions are pushed to anyway (§5.5)'
keep-after-410\t'A subscription whose endpoint answered 404/410 (any 4xx) is kept (§7.4 MUST)'
ignore-retry-after\t'After a 429 the next request goes at once, whatever Retry-After says (§7.4 MUST)'
no-webpush-capability\t'WEBPUSH is left out of the capabilities (§4 MUST)'
extension-before-login\t'The five commands are served before authentication (§5: authenticated or selected state only)'
malformed-vapid-key\t'GETVAPID and WEBPUSH send a truncated VAPID key, not a P-256 point (§6.1 MUST)'
accept-http-endpoint\t'WEBPUSH accepts http:// endpoints (§5.2: the URI MUST use https)'
accept-bad-keys\t'WEBPUSH accepts a short or off-curve P256DH key and a bad auth secret (§5.2 MUST)'
ignore-delete\t'WEBPUSH <id> NIL answers OK but keeps the subscription (§5.2)'
refuse-unknown-delete\t'Deleting an unknown subscription ID is answered NO (§5.2: OK)'
reusable-token\t'A token activates again after its first use (§5.3)'
accept-unknown-token\t'ACKWEBPUSH with an unknown token is answered OK (§5.3: NO)'
empty-lwebpush\t'LWEBPUSH answers OK with no subscriptions (§5.4 MUST)'
forget-silence\t'SILWEBPUSH answers OK but silences nothing (§5.5)'
silence-unknown-ok\t'SILWEBPUSH on an unknown ID is answered OK (§5.5: NO)'
wrong-vapid-key\t'Pushes are signed with a VAPID key other than GETVAPID\'s (§5.1, RFC 8292)'
wrong-encryption-key\t'Pushes are encrypted for a key other than the subscription\'s (§5.2 MUST, RFC 8291)'
fetch-not-uidfetch\t'New mail is pushed as FETCH, not UIDFETCH (§7.1 MUST)'
no-vanished\t'Expunges are pushed as EXPUNGE, not VANISHED (§7.1 MUST)'
short-ttl\t'Pushes say `TTL: 60`, not a week (§7.2 SHOULD 604800)'
topic-on-every-push\t'Every push carries a Topic header, new mail too (§7.2 SHOULD NOT)'
ignore-enabled\t'Capabilities ENABLEd before WEBPUSH are not applied to its pushes: no MODSEQ with CONDSTORE (§5.2)'
push-twice\t'Every push about a mailbox change is sent twice (§7: one push per change)'
non-v4-token\t'Tokens are shaped as UUIDs of version 1, not random version 4 (§6.4)'
token-never-expires\t'Tokens are accepted however old, past their 10 minutes (§6.4 SHOULD)'
retry5xx-at-once\t'After a 5xx the next attempt goes at once, with no wait (§7.4)'"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l allow-http-endpoints -d 'Accept http:// endpoints (loopback testing only; the draft requires https)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l allow-plaintext-login -d 'Allow LOGIN and AUTHENTICATE without TLS (loopback testing only)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand serve" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand demo" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand demo" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand demo" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand demo" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand demo" -s h -l help -d 'Print help'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand demo" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand decode" -l keys -d 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json)' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand decode" -l private-key -d 'The subscriber\'s private key (base64url 32-byte scalar), instead of --keys' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand decode" -l auth -d 'The auth secret (base64url 16 bytes), with --private-key' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand decode" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand decode" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand decode" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand decode" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand decode" -s h -l help -d 'Print help'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand decode" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -s h -l help -d 'Print help'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -f -a "generate" -d 'Generate a P-256 keypair and auth secret into a file (mode 0600)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -f -a "show" -d 'Print the keys as a W3C PushSubscription JSON'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and not __fish_seen_subcommand_from generate show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from generate" -l out -d 'Where to write (default: $XDG_DATA_HOME/imapwebpush/keys.json)' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from generate" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from generate" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from generate" -l force -d 'Replace an existing file'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from generate" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from generate" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from generate" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from show" -l keys -d 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json)' -r -F
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from show" -l endpoint -d 'The endpoint URL to put in the JSON (else null)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from show" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from show" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from show" -l qr -d 'Also draw the JSON as a terminal QR code'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from show" -l force -d 'Read the file even if other users can read it'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Generate a P-256 keypair and auth secret into a file (mode 0600)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the keys as a W3C PushSubscription JSON'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand completions" -l color -d 'When to color human output (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand completions" -l timeout -d 'Network timeout in seconds (connect, handshake, every read)' -r
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand completions" -l json -d 'Machine-readable output: one JSON document or one object per line'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand completions" -s v -l verbose -d 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand completions" -s h -l help -d 'Print help'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand completions" -s V -l version -d 'Print version'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "capability" -d 'Show the server\'s capabilities, WEBPUSH highlighted (logs in first when --user is set)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "getvapid" -d 'GETVAPID: show the server\'s VAPID public key (§5.1)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "webpush" -d 'WEBPUSH: create or update a subscription, or delete it with --delete (§5.2)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "ackwebpush" -d 'ACKWEBPUSH: confirm a subscription with the token from its first push (§5.3)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "lwebpush" -d 'LWEBPUSH: list subscriptions (§5.4)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "silwebpush" -d 'SILWEBPUSH: silence a subscription for SECONDS (0 ends it), or for this session (§5.5)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "subscribe" -d 'The whole flow: subscribe with a local endpoint, acknowledge, then stream notifications'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "listen" -d 'The push endpoint alone (no IMAP): receive, verify, decrypt and show pushes'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "check" -d 'Conformance suite: run the catalogue of checks against a server (exit 1 when a MUST fails)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "repl" -d 'An interactive session over one connection: the commands above, select, append, raw…, pushes printed as they arrive'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "serve" -d 'A reference IMAP WEBPUSH server, in memory, that sends real pushes'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "demo" -d 'Start serve and an https endpoint on loopback, subscribe, deliver a mail, expunge it: the protocol in one run'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "decode" -d 'Decrypt captured push payloads and explain them (files, or stdin with "-" or nothing)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "keys" -d 'Make or show the local keypair and auth secret'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and not __fish_seen_subcommand_from capability getvapid webpush ackwebpush lwebpush silwebpush subscribe listen check repl serve demo decode keys completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "generate" -d 'Generate a P-256 keypair and auth secret into a file (mode 0600)'
complete -c imapwebpush -n "__fish_imapwebpush_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "show" -d 'Print the keys as a W3C PushSubscription JSON'
complete -c imapwebpush -l tls -x -a "implicit starttls none"
complete -c imapwebpush -l color -x -a "auto always never"
complete -c imapwebpush -l format -x -a "human json junit"
complete -c imapwebpush -l fault -x -a "no-vapid-response no-webpush-response activate-without-ack skip-ack-push wrong-urgency oversize-push no-select-before-fetch bad-jwt-aud long-jwt-exp no-jwt-sub ignore-silence keep-after-410 ignore-retry-after no-webpush-capability extension-before-login malformed-vapid-key accept-http-endpoint accept-bad-keys ignore-delete refuse-unknown-delete reusable-token accept-unknown-token empty-lwebpush forget-silence silence-unknown-ok wrong-vapid-key wrong-encryption-key fetch-not-uidfetch no-vanished short-ttl topic-on-every-push ignore-enabled push-twice non-v4-token token-never-expires retry5xx-at-once"
