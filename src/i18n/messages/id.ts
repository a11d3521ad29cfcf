import type { MessageCatalog } from './catalog-types.ts';

/** Indonesian: the verification message and the call flows only (the hosted pages fall back to English). */
export const id: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Kode verifikasi {name} Anda adalah: {code}',
  'verification.doNotShare': 'Jangan bagikan kode ini kepada siapa pun; karyawan kami tidak akan pernah meminta kode ini.',
  'verification.voiceIntro': 'Halo. Ini {name}.',
  'verification.voiceCode': 'Kode verifikasi Anda adalah {code}.',
  'verification.voiceRepeat': 'Sekali lagi, kode Anda adalah {code}.',
  'verification.voiceGoodbye': 'Sampai jumpa.',
  'verification.emailSubject': 'Kode verifikasi {name} Anda',
  'verification.emailBody': 'Kode verifikasi {name} Anda adalah: {code}',
  'verification.emailExpiry': 'Kode ini kedaluwarsa dalam {minutes} menit. Jika Anda tidak memintanya, abaikan email ini.',
  'verification.psd2': 'Kode ini menyetujui pembayaran sebesar {amount} kepada {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} adalah kode verifikasi Anda.',
  'verification.whatsappSecurity': 'Demi keamanan Anda, jangan bagikan kode ini.',
  'verification.whatsappExpiry': 'Kode ini kedaluwarsa dalam {minutes} menit.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Untuk mendengar kode lagi, tekan 1.',
  'voice.enterCode': 'Silakan masukkan kode yang ditampilkan di layar Anda.',
  'voice.wrongCode': 'Kode tersebut salah.',
  'voice.codeAccepted': 'Terima kasih. Nomor telepon Anda telah diverifikasi.',
  'voice.tooManyWrong': 'Terlalu banyak kode yang salah. Sampai jumpa.',
  'voice.noInput': 'Kami tidak menerima masukan apa pun.',
  'voice.approvePayment': 'Anda diminta menyetujui pembayaran sebesar {amount} kepada {payee}.',
  'voice.approveSignIn': 'Upaya masuk ke akun Anda sedang menunggu persetujuan Anda.',
  'voice.pressOneToApprove': 'Untuk menyetujui, tekan 1. Untuk menolak, tekan tombol lain.',
  'voice.enterNumberToApprove': 'Untuk menyetujui, masukkan dua angka yang ditampilkan di layar Anda. Untuk menolak, tekan tombol bintang.',
  'voice.approved': 'Disetujui. Terima kasih. Sampai jumpa.',
  'voice.denied': 'Ditolak. Jika ini bukan Anda, segera ubah kata sandi Anda. Sampai jumpa.',
  'voice.noLongerValid': 'Permintaan ini sudah tidak berlaku. Sampai jumpa.',
  'voice.flashAnswered': 'Panggilan ini hanya memverifikasi nomor telepon Anda. Anda dapat menutup telepon sekarang. Sampai jumpa.',
  'voice.sayPassPhrase': 'Setelah bunyi bip, ucapkan frasa sandi Anda.',
  'voice.sayItAgain': 'Terima kasih. Sekali lagi, setelah bunyi bip.',
  'voice.recordAgain': 'Suara Anda kurang jelas. Silakan coba lagi setelah bunyi bip.',
  'voice.voiceprintReady': 'Sidik suara Anda sudah siap. Sampai jumpa.',
  'voice.voiceMatched': 'Terima kasih. Suara Anda telah diverifikasi. Sampai jumpa.',
  'voice.voiceNotMatched': 'Suara Anda tidak cocok. Sampai jumpa.',
};
