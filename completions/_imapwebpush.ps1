
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'imapwebpush' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'imapwebpush'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'imapwebpush' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Override the URL''s scheme; "none" (plaintext) must be asked for by name')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trust roots (PEM) besides the webpki roots; repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification (a warning is printed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('capability', 'capability', [CompletionResultType]::ParameterValue, 'Show the server''s capabilities, WEBPUSH highlighted (logs in first when --user is set)')
            [CompletionResult]::new('getvapid', 'getvapid', [CompletionResultType]::ParameterValue, 'GETVAPID: show the server''s VAPID public key (§5.1)')
            [CompletionResult]::new('webpush', 'webpush', [CompletionResultType]::ParameterValue, 'WEBPUSH: create or update a subscription, or delete it with --delete (§5.2)')
            [CompletionResult]::new('ackwebpush', 'ackwebpush', [CompletionResultType]::ParameterValue, 'ACKWEBPUSH: confirm a subscription with the token from its first push (§5.3)')
            [CompletionResult]::new('lwebpush', 'lwebpush', [CompletionResultType]::ParameterValue, 'LWEBPUSH: list subscriptions (§5.4)')
            [CompletionResult]::new('silwebpush', 'silwebpush', [CompletionResultType]::ParameterValue, 'SILWEBPUSH: silence a subscription for SECONDS (0 ends it), or for this session (§5.5)')
            [CompletionResult]::new('subscribe', 'subscribe', [CompletionResultType]::ParameterValue, 'The whole flow: subscribe with a local endpoint, acknowledge, then stream notifications')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'The push endpoint alone (no IMAP): receive, verify, decrypt and show pushes')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Conformance suite: run the catalogue of checks against a server (exit 1 when a MUST fails)')
            [CompletionResult]::new('repl', 'repl', [CompletionResultType]::ParameterValue, 'An interactive session over one connection: the commands above, select, append, raw…, pushes printed as they arrive')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'A reference IMAP WEBPUSH server, in memory, that sends real pushes')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Start serve and an https endpoint on loopback, subscribe, deliver a mail, expunge it: the protocol in one run')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decrypt captured push payloads and explain them (files, or stdin with "-" or nothing)')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Make or show the local keypair and auth secret')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'imapwebpush;capability' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Override the URL''s scheme; "none" (plaintext) must be asked for by name')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trust roots (PEM) besides the webpki roots; repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification (a warning is printed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;getvapid' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Override the URL''s scheme; "none" (plaintext) must be asked for by name')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trust roots (PEM) besides the webpki roots; repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--qr', '--qr', [CompletionResultType]::ParameterName, 'Also draw the key as a QR code')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification (a warning is printed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;webpush' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Override the URL''s scheme; "none" (plaintext) must be asked for by name')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trust roots (PEM) besides the webpki roots; repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--delete', '--delete', [CompletionResultType]::ParameterName, 'Delete the subscription (sends WEBPUSH <ID> NIL)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Send the arguments without checking them (to test a server''s BAD handling)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification (a warning is printed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;ackwebpush' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Override the URL''s scheme; "none" (plaintext) must be asked for by name')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trust roots (PEM) besides the webpki roots; repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Send the arguments without checking them (to test a server''s BAD handling)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification (a warning is printed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;lwebpush' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Override the URL''s scheme; "none" (plaintext) must be asked for by name')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trust roots (PEM) besides the webpki roots; repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Send the arguments without checking them (to test a server''s BAD handling)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification (a warning is printed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;silwebpush' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Override the URL''s scheme; "none" (plaintext) must be asked for by name')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trust roots (PEM) besides the webpki roots; repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Send the arguments without checking them (to test a server''s BAD handling)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification (a warning is printed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;subscribe' {
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Subscription ID (default: the keys file''s, else a new UUID)')
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json, created mode 0600 if missing)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address for the endpoint to listen on')
            [CompletionResult]::new('--public-url', '--public-url', [CompletionResultType]::ParameterName, 'The URL base given out instead of the listen address (e.g. a tunnel)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve https with this certificate chain (with --tls-key)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The private key for --tls-cert')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Exit after N pushes (for subscribe: after the ACKWEBPUSH push, which does not count)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Seconds to wait for the push carrying the ACKWEBPUSH token')
            [CompletionResult]::new('--enable', '--enable', [CompletionResultType]::ParameterName, 'ENABLE this capability first (CONDSTORE, QRESYNC, UTF8=ACCEPT, IMAP4rev2); repeatable')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Override the URL''s scheme; "none" (plaintext) must be asked for by name')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trust roots (PEM) besides the webpki roots; repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--tls-self-signed', '--tls-self-signed', [CompletionResultType]::ParameterName, 'Serve https with a certificate from a throwaway CA made now (its CA file''s path is printed); on loopback the local CA is the default')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'Serve plain http, even on loopback (the draft requires https: only for servers that allow http endpoints)')
            [CompletionResult]::new('--no-ack', '--no-ack', [CompletionResultType]::ParameterName, 'Do not send ACKWEBPUSH (to see what a server does with an unconfirmed subscription)')
            [CompletionResult]::new('--unsubscribe-on-exit', '--unsubscribe-on-exit', [CompletionResultType]::ParameterName, 'Delete the subscription (WEBPUSH <ID> NIL) when done or interrupted')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification (a warning is printed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;listen' {
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json, created mode 0600 if missing)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address for the endpoint to listen on')
            [CompletionResult]::new('--public-url', '--public-url', [CompletionResultType]::ParameterName, 'The URL base given out instead of the listen address (e.g. a tunnel)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve https with this certificate chain (with --tls-key)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The private key for --tls-cert')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Exit after N pushes (for subscribe: after the ACKWEBPUSH push, which does not count)')
            [CompletionResult]::new('--vapid', '--vapid', [CompletionResultType]::ParameterName, 'The server''s VAPID key (base64url, uncompressed P-256) that pushes must be signed with')
            [CompletionResult]::new('--reply', '--reply', [CompletionResultType]::ParameterName, 'Answer pushes with this status (and Retry-After seconds) instead of 201, e.g. 410 or 429:120')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--tls-self-signed', '--tls-self-signed', [CompletionResultType]::ParameterName, 'Serve https with a certificate from a throwaway CA made now (its CA file''s path is printed); on loopback the local CA is the default')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'Serve plain http, even on loopback (the draft requires https: only for servers that allow http endpoints)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;check' {
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json, created mode 0600 if missing)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address for the endpoint to listen on')
            [CompletionResult]::new('--public-url', '--public-url', [CompletionResultType]::ParameterName, 'The URL base given out instead of the listen address (e.g. a tunnel)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve https with this certificate chain (with --tls-key)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The private key for --tls-cert')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Run only these checks: IDs or globs, comma-separated or repeated (e.g. "5.2/*")')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Leave out these checks: IDs or globs, comma-separated or repeated')
            [CompletionResult]::new('--retry-window', '--retry-window', [CompletionResultType]::ParameterName, 'Seconds to watch for a retry that should wait 5 minutes (after 429 without Retry-After, or 5xx)')
            [CompletionResult]::new('--token-lifetime', '--token-lifetime', [CompletionResultType]::ParameterName, 'Seconds the server''s tokens live (§6.4 says 600): with --include-slow, 6.4/token-expires waits that long and 10 s more, then expects NO (less than the server''s lifetime fails a conforming server)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Report format (--json is --format json)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout')
            [CompletionResult]::new('--mailbox', '--mailbox', [CompletionResultType]::ParameterName, 'Mailbox to append test messages to (default: imapwebpush-check, created and deleted)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Override the URL''s scheme; "none" (plaintext) must be asked for by name')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trust roots (PEM) besides the webpki roots; repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--tls-self-signed', '--tls-self-signed', [CompletionResultType]::ParameterName, 'Serve https with a certificate from a throwaway CA made now (its CA file''s path is printed); on loopback the local CA is the default')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'Serve plain http, even on loopback (the draft requires https: only for servers that allow http endpoints)')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the checks (ID, level, title) and exit; needs no server')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'SHOULD checks that fail make the run fail (exit 1)')
            [CompletionResult]::new('--include-slow', '--include-slow', [CompletionResultType]::ParameterName, 'Also run the checks that wait minutes (token lifetime, 5-minute retries)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification (a warning is printed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;repl' {
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Keys file for listen, subscribe and keys (default: $XDG_DATA_HOME/imapwebpush/keys.json)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Override the URL''s scheme; "none" (plaintext) must be asked for by name')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trust roots (PEM) besides the webpki roots; repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--no-history', '--no-history', [CompletionResultType]::ParameterName, 'Do not read or write the history file ($XDG_DATA_HOME/imapwebpush/history)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification (a warning is printed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Plaintext listener, STARTTLS offered')
            [CompletionResult]::new('--tls-listen', '--tls-listen', [CompletionResultType]::ParameterName, 'Also listen with implicit TLS here')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Certificate chain for TLS (with --tls-key); default: generated')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key for --tls-cert')
            [CompletionResult]::new('--cert-out', '--cert-out', [CompletionResultType]::ParameterName, 'Also write the CA certificate here, for other clients (created new, never replaced)')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'An account as NAME:PASS; repeatable (default demo:demo)')
            [CompletionResult]::new('--admin', '--admin', [CompletionResultType]::ParameterName, 'An account that may run XROTATEVAPID; repeatable (default: the first account)')
            [CompletionResult]::new('--vapid-key', '--vapid-key', [CompletionResultType]::ParameterName, 'VAPID key file (JSON, mode 0600), created if missing; default: a new key each start')
            [CompletionResult]::new('--vapid-subject', '--vapid-subject', [CompletionResultType]::ParameterName, 'The VAPID JWT''s sub claim')
            [CompletionResult]::new('--push-ca', '--push-ca', [CompletionResultType]::ParameterName, 'Extra trust roots (PEM) for push endpoints besides the webpki roots; repeatable')
            [CompletionResult]::new('--retry-delay', '--retry-delay', [CompletionResultType]::ParameterName, 'Seconds to wait after a 5xx, or a 429 without Retry-After (draft §7.4: 5 minutes)')
            [CompletionResult]::new('--max-literal', '--max-literal', [CompletionResultType]::ParameterName, 'Largest literal accepted, in bytes (APPEND)')
            [CompletionResult]::new('--max-subscriptions', '--max-subscriptions', [CompletionResultType]::ParameterName, 'Subscriptions per account; WEBPUSH beyond it is answered NO')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Connections served at once; more are greeted with BYE and closed')
            [CompletionResult]::new('--max-account-bytes', '--max-account-bytes', [CompletionResultType]::ParameterName, 'Message bytes per account, all mailboxes together; APPEND beyond it is answered NO [OVERQUOTA]')
            [CompletionResult]::new('--fault', '--fault', [CompletionResultType]::ParameterName, 'Break one rule of the draft on purpose; repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--allow-http-endpoints', '--allow-http-endpoints', [CompletionResultType]::ParameterName, 'Accept http:// endpoints (loopback testing only; the draft requires https)')
            [CompletionResult]::new('--allow-plaintext-login', '--allow-plaintext-login', [CompletionResultType]::ParameterName, 'Allow LOGIN and AUTHENTICATE without TLS (loopback testing only)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;demo' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;decode' {
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json)')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'The subscriber''s private key (base64url 32-byte scalar), instead of --keys')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'The auth secret (base64url 16 bytes), with --private-key')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;keys' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate a P-256 keypair and auth secret into a file (mode 0600)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the keys as a W3C PushSubscription JSON')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'imapwebpush;keys;generate' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Where to write (default: $XDG_DATA_HOME/imapwebpush/keys.json)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing file')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;keys;show' {
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'The endpoint URL to put in the JSON (else null)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--qr', '--qr', [CompletionResultType]::ParameterName, 'Also draw the JSON as a terminal QR code')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Read the file even if other users can read it')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;keys;help' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate a P-256 keypair and auth secret into a file (mode 0600)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the keys as a W3C PushSubscription JSON')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'imapwebpush;keys;help;generate' {
            break
        }
        'imapwebpush;keys;help;show' {
            break
        }
        'imapwebpush;keys;help;help' {
            break
        }
        'imapwebpush;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document or one object per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace the protocol on stderr as C:/S: lines, credentials shown as ***')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'imapwebpush;help' {
            [CompletionResult]::new('capability', 'capability', [CompletionResultType]::ParameterValue, 'Show the server''s capabilities, WEBPUSH highlighted (logs in first when --user is set)')
            [CompletionResult]::new('getvapid', 'getvapid', [CompletionResultType]::ParameterValue, 'GETVAPID: show the server''s VAPID public key (§5.1)')
            [CompletionResult]::new('webpush', 'webpush', [CompletionResultType]::ParameterValue, 'WEBPUSH: create or update a subscription, or delete it with --delete (§5.2)')
            [CompletionResult]::new('ackwebpush', 'ackwebpush', [CompletionResultType]::ParameterValue, 'ACKWEBPUSH: confirm a subscription with the token from its first push (§5.3)')
            [CompletionResult]::new('lwebpush', 'lwebpush', [CompletionResultType]::ParameterValue, 'LWEBPUSH: list subscriptions (§5.4)')
            [CompletionResult]::new('silwebpush', 'silwebpush', [CompletionResultType]::ParameterValue, 'SILWEBPUSH: silence a subscription for SECONDS (0 ends it), or for this session (§5.5)')
            [CompletionResult]::new('subscribe', 'subscribe', [CompletionResultType]::ParameterValue, 'The whole flow: subscribe with a local endpoint, acknowledge, then stream notifications')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'The push endpoint alone (no IMAP): receive, verify, decrypt and show pushes')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Conformance suite: run the catalogue of checks against a server (exit 1 when a MUST fails)')
            [CompletionResult]::new('repl', 'repl', [CompletionResultType]::ParameterValue, 'An interactive session over one connection: the commands above, select, append, raw…, pushes printed as they arrive')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'A reference IMAP WEBPUSH server, in memory, that sends real pushes')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Start serve and an https endpoint on loopback, subscribe, deliver a mail, expunge it: the protocol in one run')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decrypt captured push payloads and explain them (files, or stdin with "-" or nothing)')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Make or show the local keypair and auth secret')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'imapwebpush;help;capability' {
            break
        }
        'imapwebpush;help;getvapid' {
            break
        }
        'imapwebpush;help;webpush' {
            break
        }
        'imapwebpush;help;ackwebpush' {
            break
        }
        'imapwebpush;help;lwebpush' {
            break
        }
        'imapwebpush;help;silwebpush' {
            break
        }
        'imapwebpush;help;subscribe' {
            break
        }
        'imapwebpush;help;listen' {
            break
        }
        'imapwebpush;help;check' {
            break
        }
        'imapwebpush;help;repl' {
            break
        }
        'imapwebpush;help;serve' {
            break
        }
        'imapwebpush;help;demo' {
            break
        }
        'imapwebpush;help;decode' {
            break
        }
        'imapwebpush;help;keys' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate a P-256 keypair and auth secret into a file (mode 0600)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the keys as a W3C PushSubscription JSON')
            break
        }
        'imapwebpush;help;keys;generate' {
            break
        }
        'imapwebpush;help;keys;show' {
            break
        }
        'imapwebpush;help;completions' {
            break
        }
        'imapwebpush;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
