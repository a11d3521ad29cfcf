import type { MessageCatalog } from './catalog-types.ts';

/** Arabic (Modern Standard; right-to-left, kept as plain text): the verification message and the call flows only. */
export const ar: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'رمز التحقق الخاص بك من {name} هو: {code}',
  'verification.doNotShare': 'لا تشارك هذا الرمز مع أي شخص؛ لن يطلب منك موظفونا الرمز أبدًا.',
  'verification.voiceIntro': 'مرحبًا. معك {name}.',
  'verification.voiceCode': 'رمز التحقق الخاص بك هو {code}.',
  'verification.voiceRepeat': 'مرة أخرى، رمزك هو {code}.',
  'verification.voiceGoodbye': 'مع السلامة.',
  'verification.emailSubject': 'رمز التحقق الخاص بك من {name}',
  'verification.emailBody': 'رمز التحقق الخاص بك من {name} هو: {code}',
  'verification.emailExpiry': 'تنتهي صلاحية هذا الرمز خلال {minutes, plural, one {دقيقة واحدة} two {دقيقتين} few {{minutes} دقائق} other {{minutes} دقيقة}}. إذا لم تطلبه، يمكنك تجاهل هذه الرسالة.',
  'verification.psd2': 'هذا الرمز يوافق على دفعة بقيمة {amount} إلى {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} هو رمز التحقق الخاص بك.',
  'verification.whatsappSecurity': 'حفاظًا على أمانك، لا تشارك هذا الرمز.',
  'verification.whatsappExpiry': 'تنتهي صلاحية هذا الرمز خلال {minutes, plural, one {دقيقة واحدة} two {دقيقتين} few {{minutes} دقائق} other {{minutes} دقيقة}}.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'لسماع الرمز مرة أخرى، اضغط 1.',
  'voice.enterCode': 'يرجى إدخال الرمز الظاهر على شاشتك.',
  'voice.wrongCode': 'هذا الرمز غير صحيح.',
  'voice.codeAccepted': 'شكرًا لك. تم التحقق من رقم هاتفك.',
  'voice.tooManyWrong': 'عدد كبير جدًا من الرموز الخاطئة. مع السلامة.',
  'voice.noInput': 'لم نتلقَّ أي إدخال.',
  'voice.approvePayment': 'يُطلب منك الموافقة على دفعة بقيمة {amount} إلى {payee}.',
  'voice.approveSignIn': 'هناك تسجيل دخول إلى حسابك بانتظار موافقتك.',
  'voice.pressOneToApprove': 'للموافقة، اضغط 1. للرفض، اضغط أي مفتاح آخر.',
  'voice.enterNumberToApprove': 'للموافقة، أدخل الرقمين الظاهرين على شاشتك. للرفض، اضغط مفتاح النجمة.',
  'voice.approved': 'تمت الموافقة. شكرًا لك. مع السلامة.',
  'voice.denied': 'تم الرفض. إذا لم تكن أنت، فيرجى تغيير كلمة المرور. مع السلامة.',
  'voice.noLongerValid': 'هذا الطلب لم يعد صالحًا. مع السلامة.',
  'voice.flashAnswered': 'هذه المكالمة تتحقق من رقم هاتفك فقط. يمكنك إنهاء المكالمة الآن. مع السلامة.',
  'voice.sayPassPhrase': 'بعد سماع الصافرة، قل عبارة المرور الخاصة بك.',
  'voice.sayItAgain': 'شكرًا لك. مرة أخرى، بعد الصافرة.',
  'voice.recordAgain': 'لم نتمكن من سماعك جيدًا. يرجى المحاولة مرة أخرى بعد الصافرة.',
  'voice.voiceprintReady': 'بصمتك الصوتية جاهزة. مع السلامة.',
  'voice.voiceMatched': 'شكرًا لك. تم التحقق من صوتك. مع السلامة.',
  'voice.voiceNotMatched': 'صوتك غير مطابق. مع السلامة.',
};
