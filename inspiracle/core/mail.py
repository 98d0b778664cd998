"""The embedded default's mail: printed where `serve` shows its output, as text a person can read.

Django's console backend prints the MIME message, whose non-ASCII body is base64: a reporter could not
read the code in it. This one prints the headers that matter and the decoded text."""

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message):
        headers = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
            *(f"{name}: {value}" for name, value in message.extra_headers.items()),
        ]
        self.stream.write("\n".join(headers) + "\n\n" + message.body.rstrip("\n") + "\n")
        self.stream.write("-" * 79 + "\n")
