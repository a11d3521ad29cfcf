/**
 * QR codes of an otpauth:// URI for authenticator apps (Google Authenticator, Authy, FreeOTP).
 * Error correction M and a quiet zone of 4 modules, as the QR specification recommends for scanning
 * from a screen.
 */
const OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** Imported on the first QR code, not at start: qrcode and its PNG encoder are ~60 modules most processes never use. */
const qrcode = async () => (await import('qrcode')).default;

export async function qrCodeSvg(uri: string): Promise<string> {
  return (await qrcode()).toString(uri, { ...OPTIONS, type: 'svg' });
}

export async function qrCodePng(uri: string, width = 256): Promise<Buffer> {
  return (await qrcode()).toBuffer(uri, { ...OPTIONS, type: 'png', width });
}
