import type { MessageCatalog } from './catalog-types.ts';

/** Russian: the verification message and the call flows only (the hosted pages fall back to English). */
export const ru: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Ваш код подтверждения {name}: {code}',
  'verification.doNotShare': 'Никому не сообщайте этот код; наши сотрудники никогда его не попросят.',
  'verification.voiceIntro': 'Здравствуйте. Это {name}.',
  'verification.voiceCode': 'Ваш код подтверждения: {code}.',
  'verification.voiceRepeat': 'Повторяю, ваш код: {code}.',
  'verification.voiceGoodbye': 'До свидания.',
  'verification.emailSubject': 'Ваш код подтверждения {name}',
  'verification.emailBody': 'Ваш код подтверждения {name}: {code}',
  'verification.emailExpiry': 'Срок действия кода истекает через {minutes, plural, one {{minutes} минуту} few {{minutes} минуты} many {{minutes} минут} other {{minutes} минуты}}. Если вы не запрашивали код, просто проигнорируйте это письмо.',
  'verification.psd2': 'Этот код подтверждает платёж на сумму {amount} в пользу {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} — ваш код подтверждения.',
  'verification.whatsappSecurity': 'В целях безопасности никому не сообщайте этот код.',
  'verification.whatsappExpiry': 'Срок действия кода истекает через {minutes, plural, one {{minutes} минуту} few {{minutes} минуты} many {{minutes} минут} other {{minutes} минуты}}.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Чтобы прослушать код ещё раз, нажмите 1.',
  'voice.enterCode': 'Введите код, показанный на экране.',
  'voice.wrongCode': 'Неверный код.',
  'voice.codeAccepted': 'Спасибо. Ваш номер телефона подтверждён.',
  'voice.tooManyWrong': 'Слишком много неверных кодов. До свидания.',
  'voice.noInput': 'Мы не получили ответа.',
  'voice.approvePayment': 'Вас просят подтвердить платёж на сумму {amount} в пользу {payee}.',
  'voice.approveSignIn': 'Вход в вашу учётную запись ожидает вашего подтверждения.',
  'voice.pressOneToApprove': 'Чтобы подтвердить, нажмите 1. Чтобы отклонить, нажмите любую другую клавишу.',
  'voice.enterNumberToApprove': 'Чтобы подтвердить, введите две цифры, показанные на экране. Чтобы отклонить, нажмите клавишу «звёздочка».',
  'voice.approved': 'Подтверждено. Спасибо. До свидания.',
  'voice.denied': 'Отклонено. Если это были не вы, смените пароль. До свидания.',
  'voice.noLongerValid': 'Этот запрос больше не действителен. До свидания.',
  'voice.flashAnswered': 'Этот звонок только подтверждает ваш номер телефона. Можете положить трубку. До свидания.',
  'voice.sayPassPhrase': 'После сигнала произнесите вашу кодовую фразу.',
  'voice.sayItAgain': 'Спасибо. Ещё раз, после сигнала.',
  'voice.recordAgain': 'Мы вас плохо расслышали. Попробуйте ещё раз после сигнала.',
  'voice.voiceprintReady': 'Ваш голосовой отпечаток готов. До свидания.',
  'voice.voiceMatched': 'Спасибо. Ваш голос подтверждён. До свидания.',
  'voice.voiceNotMatched': 'Ваш голос не совпал. До свидания.',
};
