"""Guest surveys reached by QR code: ``/s/<branch>[/<desk>][?staff=CODE]``, and their posters."""
