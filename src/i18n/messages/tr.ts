import type { MessageCatalog } from './catalog-types.ts';

/** Turkish: the verification message and the call flows only (the hosted pages fall back to English). */
export const tr: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': '{name} doğrulama kodunuz: {code}',
  'verification.doNotShare': 'Bu kodu kimseyle paylaşmayın; çalışanlarımız bu kodu asla sizden istemez.',
  'verification.voiceIntro': 'Merhaba. Burası {name}.',
  'verification.voiceCode': 'Doğrulama kodunuz {code}.',
  'verification.voiceRepeat': 'Tekrar ediyorum, kodunuz {code}.',
  'verification.voiceGoodbye': 'Hoşça kalın.',
  'verification.emailSubject': '{name} doğrulama kodunuz',
  'verification.emailBody': '{name} doğrulama kodunuz: {code}',
  'verification.emailExpiry': 'Bu kodun süresi {minutes} dakika içinde dolacak. Bu kodu siz istemediyseniz bu e-postayı yok sayabilirsiniz.',
  'verification.psd2': 'Bu kod, {payee} alıcısına {amount} tutarındaki ödemeyi onaylar.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} doğrulama kodunuzdur.',
  'verification.whatsappSecurity': 'Güvenliğiniz için bu kodu paylaşmayın.',
  'verification.whatsappExpiry': 'Bu kodun süresi {minutes} dakika içinde dolacak.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Kodu tekrar dinlemek için 1’e basın.',
  'voice.enterCode': 'Lütfen ekranınızda gösterilen kodu girin.',
  'voice.wrongCode': 'Bu kod doğru değil.',
  'voice.codeAccepted': 'Teşekkürler. Telefon numaranız doğrulandı.',
  'voice.tooManyWrong': 'Çok fazla yanlış kod girildi. Hoşça kalın.',
  'voice.noInput': 'Herhangi bir tuşlama almadık.',
  'voice.approvePayment': '{payee} alıcısına {amount} tutarındaki bir ödemeyi onaylamanız isteniyor.',
  'voice.approveSignIn': 'Hesabınıza yapılan bir oturum açma işlemi onayınızı bekliyor.',
  'voice.pressOneToApprove': 'Onaylamak için 1’e basın. Reddetmek için başka herhangi bir tuşa basın.',
  'voice.enterNumberToApprove': 'Onaylamak için ekranınızda gösterilen iki rakamı girin. Reddetmek için yıldız tuşuna basın.',
  'voice.approved': 'Onaylandı. Teşekkürler. Hoşça kalın.',
  'voice.denied': 'Reddedildi. Bu siz değilseniz lütfen şifrenizi değiştirin. Hoşça kalın.',
  'voice.noLongerValid': 'Bu istek artık geçerli değil. Hoşça kalın.',
  'voice.flashAnswered': 'Bu arama yalnızca telefon numaranızı doğrular. Şimdi kapatabilirsiniz. Hoşça kalın.',
  'voice.sayPassPhrase': 'Sinyal sesinden sonra parola ifadenizi söyleyin.',
  'voice.sayItAgain': 'Teşekkürler. Sinyal sesinden sonra bir kez daha.',
  'voice.recordAgain': 'Sizi iyi duyamadık. Lütfen sinyal sesinden sonra tekrar deneyin.',
  'voice.voiceprintReady': 'Ses iziniz hazır. Hoşça kalın.',
  'voice.voiceMatched': 'Teşekkürler. Sesiniz doğrulandı. Hoşça kalın.',
  'voice.voiceNotMatched': 'Sesiniz eşleşmedi. Hoşça kalın.',
};
