import type { MessageCatalog } from './catalog-types.ts';

/** Malay: the verification message and the call flows only (the hosted pages fall back to English). */
export const ms: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Kod pengesahan {name} anda ialah: {code}',
  'verification.doNotShare': 'Jangan kongsi kod ini dengan sesiapa; pekerja kami tidak akan sekali-kali meminta kod ini.',
  'verification.voiceIntro': 'Helo. Ini {name}.',
  'verification.voiceCode': 'Kod pengesahan anda ialah {code}.',
  'verification.voiceRepeat': 'Sekali lagi, kod anda ialah {code}.',
  'verification.voiceGoodbye': 'Selamat tinggal.',
  'verification.emailSubject': 'Kod pengesahan {name} anda',
  'verification.emailBody': 'Kod pengesahan {name} anda ialah: {code}',
  'verification.emailExpiry': 'Kod ini akan tamat tempoh dalam {minutes} minit. Jika anda tidak memintanya, anda boleh abaikan e-mel ini.',
  'verification.psd2': 'Kod ini meluluskan pembayaran sebanyak {amount} kepada {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} ialah kod pengesahan anda.',
  'verification.whatsappSecurity': 'Demi keselamatan anda, jangan kongsi kod ini.',
  'verification.whatsappExpiry': 'Kod ini akan tamat tempoh dalam {minutes} minit.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Untuk mendengar kod sekali lagi, tekan 1.',
  'voice.enterCode': 'Sila masukkan kod yang dipaparkan pada skrin anda.',
  'voice.wrongCode': 'Kod itu tidak betul.',
  'voice.codeAccepted': 'Terima kasih. Nombor telefon anda telah disahkan.',
  'voice.tooManyWrong': 'Terlalu banyak kod yang salah. Selamat tinggal.',
  'voice.noInput': 'Kami tidak menerima sebarang input.',
  'voice.approvePayment': 'Anda diminta meluluskan pembayaran sebanyak {amount} kepada {payee}.',
  'voice.approveSignIn': 'Satu log masuk ke akaun anda sedang menunggu kelulusan anda.',
  'voice.pressOneToApprove': 'Untuk meluluskan, tekan 1. Untuk menolak, tekan mana-mana kekunci lain.',
  'voice.enterNumberToApprove': 'Untuk meluluskan, masukkan dua digit yang dipaparkan pada skrin anda. Untuk menolak, tekan kekunci bintang.',
  'voice.approved': 'Diluluskan. Terima kasih. Selamat tinggal.',
  'voice.denied': 'Ditolak. Jika ini bukan anda, sila tukar kata laluan anda. Selamat tinggal.',
  'voice.noLongerValid': 'Permintaan ini tidak lagi sah. Selamat tinggal.',
  'voice.flashAnswered': 'Panggilan ini hanya mengesahkan nombor telefon anda. Anda boleh letak telefon sekarang. Selamat tinggal.',
  'voice.sayPassPhrase': 'Selepas bunyi bip, sebut frasa laluan anda.',
  'voice.sayItAgain': 'Terima kasih. Sekali lagi, selepas bunyi bip.',
  'voice.recordAgain': 'Kami tidak dapat mendengar anda dengan jelas. Sila cuba lagi selepas bunyi bip.',
  'voice.voiceprintReady': 'Cap suara anda sudah sedia. Selamat tinggal.',
  'voice.voiceMatched': 'Terima kasih. Suara anda telah disahkan. Selamat tinggal.',
  'voice.voiceNotMatched': 'Suara anda tidak sepadan. Selamat tinggal.',
};
