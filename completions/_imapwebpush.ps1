
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
        'imapwebpush;decode' {
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json)')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'The subscriber''s private key (base64url 32-byte scalar), instead of --keys')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'The auth secret (base64url 16 bytes), with --private-key')
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
        'imapwebpush;keys' {
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
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate a P-256 keypair and auth secret into a file (mode 0600)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the keys as a W3C PushSubscription JSON')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'imapwebpush;keys;generate' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Where to write (default: $XDG_DATA_HOME/imapwebpush/keys.json)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Override the URL''s scheme; "none" (plaintext) must be asked for by name')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trust roots (PEM) besides the webpki roots; repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing file')
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
        'imapwebpush;keys;show' {
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'The endpoint URL to put in the JSON (else null)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server: imaps://host[:993] (TLS), imap://host[:143] (STARTTLS), or host[:port] (TLS)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Override the URL''s scheme; "none" (plaintext) must be asked for by name')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Command whose first line of output is the password (else IMAPWEBPUSH_PASSWORD, else a prompt on a terminal)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trust roots (PEM) besides the webpki roots; repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color human output (NO_COLOR is honoured)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds (connect, handshake, every read)')
            [CompletionResult]::new('--qr', '--qr', [CompletionResultType]::ParameterName, 'Also draw the JSON as a terminal QR code')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Read the file even if other users can read it')
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
        'imapwebpush;help' {
            [CompletionResult]::new('capability', 'capability', [CompletionResultType]::ParameterValue, 'Show the server''s capabilities, WEBPUSH highlighted (logs in first when --user is set)')
            [CompletionResult]::new('getvapid', 'getvapid', [CompletionResultType]::ParameterValue, 'GETVAPID: show the server''s VAPID public key (§5.1)')
            [CompletionResult]::new('webpush', 'webpush', [CompletionResultType]::ParameterValue, 'WEBPUSH: create or update a subscription, or delete it with --delete (§5.2)')
            [CompletionResult]::new('ackwebpush', 'ackwebpush', [CompletionResultType]::ParameterValue, 'ACKWEBPUSH: confirm a subscription with the token from its first push (§5.3)')
            [CompletionResult]::new('lwebpush', 'lwebpush', [CompletionResultType]::ParameterValue, 'LWEBPUSH: list subscriptions (§5.4)')
            [CompletionResult]::new('silwebpush', 'silwebpush', [CompletionResultType]::ParameterValue, 'SILWEBPUSH: silence a subscription for SECONDS (0 ends it), or for this session (§5.5)')
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
