import type { MessageCatalog } from './catalog-types.ts';

/** Ukrainian: the verification message and the call flows only (the hosted pages fall back to English). */
export const uk: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Ваш код підтвердження {name}: {code}',
  'verification.doNotShare': 'Нікому не повідомляйте цей код; наші працівники ніколи його не попросять.',
  'verification.voiceIntro': 'Добрий день. Це {name}.',
  'verification.voiceCode': 'Ваш код підтвердження: {code}.',
  'verification.voiceRepeat': 'Повторюю, ваш код: {code}.',
  'verification.voiceGoodbye': 'До побачення.',
  'verification.emailSubject': 'Ваш код підтвердження {name}',
  'verification.emailBody': 'Ваш код підтвердження {name}: {code}',
  'verification.emailExpiry': 'Термін дії коду спливає через {minutes, plural, one {{minutes} хвилину} few {{minutes} хвилини} many {{minutes} хвилин} other {{minutes} хвилини}}. Якщо ви не запитували код, просто проігноруйте цей лист.',
  'verification.psd2': 'Цей код підтверджує платіж на суму {amount} на користь {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} — ваш код підтвердження.',
  'verification.whatsappSecurity': 'З міркувань безпеки нікому не повідомляйте цей код.',
  'verification.whatsappExpiry': 'Термін дії коду спливає через {minutes, plural, one {{minutes} хвилину} few {{minutes} хвилини} many {{minutes} хвилин} other {{minutes} хвилини}}.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Щоб прослухати код ще раз, натисніть 1.',
  'voice.enterCode': 'Введіть код, показаний на екрані.',
  'voice.wrongCode': 'Неправильний код.',
  'voice.codeAccepted': 'Дякуємо. Ваш номер телефону підтверджено.',
  'voice.tooManyWrong': 'Забагато неправильних кодів. До побачення.',
  'voice.noInput': 'Ми не отримали відповіді.',
  'voice.approvePayment': 'Вас просять підтвердити платіж на суму {amount} на користь {payee}.',
  'voice.approveSignIn': 'Вхід до вашого облікового запису очікує на ваше підтвердження.',
  'voice.pressOneToApprove': 'Щоб підтвердити, натисніть 1. Щоб відхилити, натисніть будь-яку іншу клавішу.',
  'voice.enterNumberToApprove': 'Щоб підтвердити, введіть дві цифри, показані на екрані. Щоб відхилити, натисніть клавішу «зірочка».',
  'voice.approved': 'Підтверджено. Дякуємо. До побачення.',
  'voice.denied': 'Відхилено. Якщо це були не ви, змініть пароль. До побачення.',
  'voice.noLongerValid': 'Цей запит більше не дійсний. До побачення.',
  'voice.flashAnswered': 'Цей дзвінок лише підтверджує ваш номер телефону. Можете покласти слухавку. До побачення.',
  'voice.sayPassPhrase': 'Після сигналу промовте вашу кодову фразу.',
  'voice.sayItAgain': 'Дякуємо. Ще раз, після сигналу.',
  'voice.recordAgain': 'Ми вас погано почули. Спробуйте ще раз після сигналу.',
  'voice.voiceprintReady': 'Ваш голосовий відбиток готовий. До побачення.',
  'voice.voiceMatched': 'Дякуємо. Ваш голос підтверджено. До побачення.',
  'voice.voiceNotMatched': 'Ваш голос не збігся. До побачення.',
};
