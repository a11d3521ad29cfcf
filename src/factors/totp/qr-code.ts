import QRCode from 'qrcode';

/**
 * QR codes of an otpauth:// URI for authenticator apps (Google Authenticator, Authy, FreeOTP).
 * Error correction M and a quiet zone of 4 modules, as the QR specification recommends for scanning
 * from a screen.
 */
const OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

export async function qrCodeSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { ...OPTIONS, type: 'svg' });
}

export async function qrCodePng(uri: string, width = 256): Promise<Buffer> {
  return QRCode.toBuffer(uri, { ...OPTIONS, type: 'png', width });
}
